using Luma.Unified.Abstractions;
using Luma.Unified.Config;

namespace Luma.Unified.Training;

/// <summary><c>train.loss_weights</c>: modality name → weight of its loss in the total; unnamed modalities weigh 1.</summary>
public static class LossWeights
{
    /// <summary>The weights, checked against the run's modalities; a bad entry is a <see cref="ConfigException"/> naming its key.</summary>
    public static IReadOnlyDictionary<string, double> Parse(LoadedConfig config, IReadOnlyList<IModality> modalities)
    {
        var weights = new Dictionary<string, double>();
        foreach (var (name, node) in config.Options.Train.LossWeights.Entries)
        {
            var key = $"train.loss_weights.{name}";
            if (!modalities.Any(m => m.Name == name))
            {
                throw ConfigException.At(node.Source, key, null,
                    $"no modality '{name}' in this run (modalities: {string.Join(", ", modalities.Select(m => m.Name))}).");
            }
            var text = (node as ConfigScalar)?.Text;
            if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight) || weight < 0 || !double.IsFinite(weight))
            {
                throw ConfigException.At(node.Source, key, text, "expected a number ≥ 0.");
            }
            weights[name] = weight;
        }
        return weights;
    }
}

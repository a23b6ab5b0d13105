using System.Text.Json;
using Luma.Unified.Abstractions;
using Luma.Unified.Config;
using Luma.Unified.Training.Checkpointing;

namespace Luma.Unified.Training.Weights;

/// <summary>
/// Exports the unified model's weights to one safetensors file — with the resolved config and the shared
/// vocabulary layout in the metadata — and imports such a file into a run directory whose checkpoint
/// <c>luma sample</c> and <c>luma eval</c> open like a trained one.
/// </summary>
public static class UnifiedModelWeights
{
    /// <summary>Writes <paramref name="components"/>' model (already loaded with the weights to export) to <paramref name="file"/>.</summary>
    public static void Export(RunComponents components, int step, bool ema, string source, string file) =>
        SafetensorsFile.Write(file, TensorTransfer.Exported(components.Model), new Dictionary<string, string>
        {
            [WeightsMetadata.Format] = WeightsMetadata.FormatVersion,
            [WeightsMetadata.Kind] = WeightsMetadata.UnifiedModelKind,
            [WeightsMetadata.Config] = components.Config.ToYaml(),
            [WeightsMetadata.Vocabulary] = VocabularyJson(components.Model.Vocabulary),
            [WeightsMetadata.Weights] = ema ? "ema" : "raw",
            [WeightsMetadata.Step] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [WeightsMetadata.Source] = Path.GetFullPath(source),
        });

    /// <summary>
    /// Creates run directory <paramref name="root"/> from <paramref name="weights"/>: its config (with
    /// <paramref name="overrides"/>, e.g. a codec moved elsewhere), and one weights-only checkpoint at the exported
    /// step. The model is rebuilt from the config and must match the file's vocabulary and every tensor.
    /// Returns the checkpoint directory.
    /// </summary>
    public static string Import(ExportedWeights weights, string root, IEnumerable<string> overrides)
    {
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new IOException($"{root} already exists and is not empty; import into a new directory.");
        }
        var run = RunDirectory.Create(root, weights.Require(WeightsMetadata.Config));
        try
        {
            var config = ConfigLoader.Load(run.ConfigFile, overrides);
            File.WriteAllText(run.ConfigFile, config.ToYaml());
            var components = RunComponents.Build(config);
            var expected = weights.Require(WeightsMetadata.Vocabulary);
            var actual = VocabularyJson(components.Model.Vocabulary);
            if (actual != expected)
            {
                throw new InvalidDataException(
                    $"{weights.File}: the weights were trained with the vocabulary {expected}, but the tokenizer and codecs its config names give {actual}; point --set at the same tokenizer and codecs.");
            }
            TensorTransfer.Import(components.Model, weights.File, weights.Tensors, "the unified model its config describes");
            var step = int.Parse(weights.Metadata.GetValueOrDefault(WeightsMetadata.Step) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            return new CheckpointStore(run, keepLast: int.MaxValue).SaveWeights(components.Model, step, config.ToYaml());
        }
        catch
        {
            Directory.Delete(run.Root, recursive: true);
            throw;
        }
    }

    private static string VocabularyJson(VocabularyLayout vocabulary) =>
        JsonSerializer.Serialize(vocabulary.Blocks.Select(b => new { modality = b.Modality, offset = b.Offset, size = b.Size }));
}

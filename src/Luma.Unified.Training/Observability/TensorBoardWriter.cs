using static TorchSharp.torch.utils.tensorboard;

namespace Luma.Unified.Training.Observability;

/// <summary>
/// Mirrors each <c>metrics.jsonl</c> record into TensorBoard event files under <c>RUN_DIR/tensorboard</c>
/// (<c>tensorboard --logdir RUN_DIR/tensorboard</c>): losses under <c>loss/</c> (<c>loss/total</c>, <c>loss/text</c>,
/// <c>loss/val</c>, ...), everything else numeric under <c>train/</c>.
/// </summary>
public sealed class TensorBoardWriter(string directory)
{
    private readonly TorchSharp.Modules.SummaryWriter _writer = SummaryWriter(directory);

    /// <summary>Writes the numeric values of <paramref name="record"/> at <paramref name="step"/>.</summary>
    public void Write(int step, IReadOnlyDictionary<string, object> record)
    {
        foreach (var (key, value) in record)
        {
            if (key == "step" || value is not (double or float or int or long))
            {
                continue;
            }
            _writer.add_scalar(Tag(key), Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture), step);
        }
    }

    private static string Tag(string key) => key switch
    {
        "loss" => "loss/total",
        "val_loss" => "loss/val",
        _ when key.StartsWith("loss_", StringComparison.Ordinal) => $"loss/{key["loss_".Length..]}",
        _ => $"train/{key}",
    };
}

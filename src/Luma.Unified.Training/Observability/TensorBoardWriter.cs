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

    /// <summary>Writes <paramref name="image"/> as an image summary under <paramref name="tag"/> at <paramref name="step"/>.</summary>
    public void WriteImage(string tag, Data.Media.RgbImage image, int step)
    {
        // The summary scales float pixels in [0, 1] to bytes.
        using var pixels = TorchSharp.torch.tensor(image.Pixels, [image.Height, image.Width, 3]).to(TorchSharp.torch.ScalarType.Float32) / 255;
        _writer.add_img(tag, pixels, step, dataformats: "HWC");
    }

    private static string Tag(string key) => key switch
    {
        "loss" => "loss/total",
        "val_loss" => "loss/val",
        _ when key.StartsWith("loss_", StringComparison.Ordinal) => $"loss/{key["loss_".Length..]}",
        _ => $"train/{key}",
    };
}

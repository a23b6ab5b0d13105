using Luma.Unified.Config;
using Luma.Unified.Data.Media;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training;
using Luma.Unified.Training.Observability;

namespace Luma.Unified.Tests.Training;

[Collection(TinyShapesCollection.Name)]
public sealed class EvaluationSamplesTests(TinyShapesRun trained) : TorchTest
{
    [Fact]
    public void SamplesFollowEvalEveryAsAGridPngAndTensorBoardImagesAndZeroTurnsThemOff()
    {
        using var temp = new TempDirectory();

        var with = Train(temp.Combine("with"), "train.eval_samples=3");
        var without = Train(temp.Combine("without"), "train.eval_samples=0");

        // Three 32×32 samples: 2 columns, 2 rows, 2-pixel gaps between and around them; written at steps 2 and 4 (eval_every) and nowhere else.
        Assert.Equal(["step_00000002.png", "step_00000004.png"], Directory.GetFiles(Path.Combine(with.Root, "samples"), "*.png").Select(Path.GetFileName).Order());
        var grid = ImageCodec.Decode(File.ReadAllBytes(Path.Combine(with.Root, "samples", "step_00000004.png")));
        Assert.Equal((2 * 34 + 2, 2 * 34 + 2), (grid.Width, grid.Height));
        Assert.Equal((255, 255, 255), (grid.At(69, 69).R, grid.At(69, 69).G, grid.At(69, 69).B)); // the empty fourth cell
        var prompts = File.ReadAllLines(Path.Combine(with.Root, "samples", "prompts.txt"));
        Assert.Equal(3, prompts.Length);
        Assert.All(prompts, p => Assert.Matches(@"^image: a (small|medium|large) \w+ \w+ at the \w+ \w+\.$", p));
        Assert.Equal([(2L, 70, 70), (4L, 70, 70)], TensorBoardImages(with, "samples/text_to_image"));
        Assert.False(Directory.Exists(Path.Combine(without.Root, "samples")));
        Assert.Empty(TensorBoardImages(without, "samples/text_to_image"));
    }

    private RunDirectory Train(string root, string samples)
    {
        var yaml = Path.Combine(Path.GetDirectoryName(root)!, Path.GetFileName(root) + ".yaml");
        File.WriteAllText(yaml, trained.Config.ToYaml());
        var config = ConfigLoader.Load(yaml, ["train.steps=4", "train.eval_every=2", "train.log_every=1", samples]);
        var run = RunDirectory.Create(root, config.ToYaml());
        using (var log = RunLogging.Create(run.LogFile))
        {
            new Trainer(config, run, log).Run();
        }
        return run;
    }

    /// <summary>(step, height, width) of the image summaries under <paramref name="tag"/> in the run's TFRecord event file.</summary>
    private static List<(long Step, int Height, int Width)> TensorBoardImages(RunDirectory run, string tag)
    {
        var images = new List<(long, int, int)>();
        using var reader = new BinaryReader(File.OpenRead(Directory.GetFiles(run.TensorBoardDirectory, "events.out.tfevents.*", SearchOption.AllDirectories).Single()));
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var length = reader.ReadUInt64();
            reader.ReadUInt32();
            var @event = Tensorboard.Event.Parser.ParseFrom(reader.ReadBytes((int)length));
            reader.ReadUInt32();
            images.AddRange((@event.Summary?.Value ?? []).Where(v => v.Tag == tag && v.Image is not null).Select(v => (@event.Step, v.Image.Height, v.Image.Width)));
        }
        return images;
    }
}

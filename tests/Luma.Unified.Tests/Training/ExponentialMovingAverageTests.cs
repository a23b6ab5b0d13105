using Luma.Unified.Tests.Support;
using Luma.Unified.Training;
using Luma.Unified.Training.Checkpointing;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Training;

public sealed class ExponentialMovingAverageTests : TorchTest
{
    [Fact]
    public void TheAverageFollowsTheRampedDecayAndSurvivesASaveAndLoad()
    {
        using var module = nn.Linear(2, 1, hasBias: false);
        using (no_grad())
        {
            module.weight!.copy_(tensor(new float[] { 1, 2 }, [1, 2]));
        }
        using var ema = new ExponentialMovingAverage(module, decay: 0.5);
        using (no_grad())
        {
            module.weight!.copy_(tensor(new float[] { 3, 6 }, [1, 2]));
        }

        ema.Update(module, step: 1);   // decay min(0.5, 2/11) = 2/11
        using var temp = new TempDirectory();
        using (var stream = File.Create(temp.Combine("ema.safetensors")))
        {
            ema.Save(stream);
        }

        var saved = Safetensors.LoadStateDict(temp.Combine("ema.safetensors"))["weight"].data<float>().ToArray();
        var expected = new[] { 1 * 2f / 11 + 3 * 9f / 11, 2 * 2f / 11 + 6 * 9f / 11 };
        Assert.Equal(expected[0], saved[0], 5);
        Assert.Equal(expected[1], saved[1], 5);
        using var reloaded = new ExponentialMovingAverage(module, decay: 0.5);
        reloaded.Load(temp.Combine("ema.safetensors"));
        using (var again = File.Create(temp.Combine("again.safetensors")))
        {
            reloaded.Save(again);
        }
        Assert.Equal(saved, Safetensors.LoadStateDict(temp.Combine("again.safetensors"))["weight"].data<float>().ToArray());
    }

    [Fact]
    public void ACheckpointKeepsTheAverageAndInferenceLoadsItInsteadOfTheRawWeights()
    {
        using var temp = new TempDirectory();
        var (result, _) = TinyTraining.Run(temp, "train.steps=6", "train.ema_decay=0.9", "checkpoint.every=0");

        var raw = RunComponents.Build(TinyConfigs.Load()).Model;
        CheckpointStore.Load(result.LastCheckpoint, raw, optimizer: null);
        var averaged = RunComponents.Build(TinyConfigs.Load()).Model;
        var (_, usedEma) = CheckpointStore.LoadForInference(result.LastCheckpoint, averaged);

        Assert.True(usedEma);
        var ema = Safetensors.LoadStateDict(Path.Combine(result.LastCheckpoint, ExponentialMovingAverage.FileName));
        var name = "tokenEmbedding.weight";
        Assert.Equal(ema[name].data<float>().ToArray(), averaged.state_dict()[name].data<float>().ToArray());
        Assert.NotEqual(raw.state_dict()[name].data<float>().ToArray(), averaged.state_dict()[name].data<float>().ToArray());
    }
}

using Luma.Unified.Data.Media;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training;
using Luma.Unified.Training.Checkpointing;
using Luma.Unified.Training.Observability;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Training;

/// <summary>Compares the default random stream before and after sampling, so it runs where nothing else draws from it.</summary>
[Collection(ExclusiveRandomStream.Name)]
public sealed class AudioEvaluationSamplesTests(TinyCodecs codecs) : TorchTest, IClassFixture<TinyCodecs>
{
    [Fact]
    public void AnAudioRunsEvaluationWritesItsClipsAsOneWavAndLeavesWeightsModeAndRandomStreamAsTheyWere()
    {
        using var temp = new TempDirectory();
        var config = TinyConfigs.Load($"modalities.options.audio.codec={codecs.Audio}", "train.eval_every=5", "train.eval_samples=2");
        var components = RunComponents.Build(config);
        var model = components.Model;
        var run = RunDirectory.Create(temp.Combine("run"), config.ToYaml());
        using var log = RunLogging.Create(jsonLogFile: null);
        var samples = new EvaluationSamples(components, run, log, new TensorBoardWriter(run.TensorBoardDirectory));
        // An average that differs from the weights, as it does mid-run: sampling swaps it in and must swap it out.
        using var ema = new ExponentialMovingAverage(model, 0.9);
        using (no_grad())
        {
            foreach (var parameter in model.parameters())
            {
                parameter.add_(0.01);
            }
        }
        var weightsBefore = model.parameters().Select(p => p.detach().clone()).ToList();
        model.train();
        var randomBefore = get_rng_state().bytes.ToArray();

        var notDue = samples.WriteIfDue(4, ema);
        var due = samples.WriteIfDue(5, ema);

        Assert.Equal(randomBefore, get_rng_state().bytes.ToArray());
        Assert.True(model.training);
        Assert.All(model.parameters().Zip(weightsBefore), pair => Assert.Equal(pair.Second.bytes.ToArray(), pair.First.detach().bytes.ToArray()));
        Assert.Empty(notDue);
        Assert.Equal([Path.Combine(run.Root, "samples", "step_00000005.wav")], due);
        var clip = WavCodec.Decode(File.ReadAllBytes(due[0]));
        Assert.Equal(16_000, clip.SampleRate);
        Assert.NotEmpty(clip.Samples);
        var prompts = File.ReadAllLines(Path.Combine(run.Root, "samples", "prompts.txt"));
        Assert.Equal(2, prompts.Length);
        Assert.All(prompts, p => Assert.Matches(@"^audio: a (quiet|loud) tone of \d+ hz for [\d.]+ seconds\.$", p));
    }
}

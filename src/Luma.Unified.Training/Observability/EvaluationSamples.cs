using System.Diagnostics;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Model.Generation;
using Luma.Unified.Training.Checkpointing;
using Serilog;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Observability;

/// <summary>
/// Samples at evaluation steps (<c>train.eval_every</c>, and the last step), <c>train.eval_samples</c> of them, drawn
/// with the weights sampling will use (the EMA when the run keeps one) for fixed shapes-world prompts: a PNG grid of
/// text → image into <c>RUN_DIR/samples/step_NNNNNNNN.png</c> (also to TensorBoard) when the run trains an image
/// modality, the text → audio clips one after another into <c>step_NNNNNNNN.wav</c> when it trains audio. The
/// training random stream, weights and mode are left exactly as they were, so sampling never changes the run.
/// </summary>
public sealed class EvaluationSamples(RunComponents components, RunDirectory run, ILogger log, TensorBoardWriter tensorboard)
{
    /// <summary>The folder under the run directory.</summary>
    public const string FolderName = "samples";

    private const double MaxAudioSeconds = 2.0;

    /// <summary>Where the samples of step <paramref name="step"/> go, without extension.</summary>
    public static string PathOf(RunDirectory run, int step) => Path.Combine(run.Root, FolderName, $"step_{step:D8}");

    /// <summary>Draws and writes the samples when <paramref name="step"/> is an evaluation step; returns the files written.</summary>
    public IReadOnlyList<string> WriteIfDue(int step, ExponentialMovingAverage? ema)
    {
        var train = components.Config.Options.Train;
        var due = train.EvalSamples > 0 && train.EvalEvery > 0 && (step % train.EvalEvery == 0 || step == train.Steps);
        if (!due || !components.Modalities.Any(m => m.Name is Segments.Image or Segments.Audio))
        {
            return [];
        }
        var generation = new MediaGeneration(components.Model, components.Tokenizer, components.Modalities);
        var clock = Stopwatch.StartNew();
        var model = components.Model;
        using var rng = get_rng_state();
        model.eval();
        try
        {
            using var noGrad = no_grad();
            var files = ema is null ? Draw(generation, step) : ema.WithAveragedWeights(model, () => Draw(generation, step));
            log.Information("step {Step}: {Count} evaluation samples in {Seconds:0.0} s: {Files}", step, train.EvalSamples, clock.Elapsed.TotalSeconds, files);
            return files;
        }
        finally
        {
            model.train();
            set_rng_state(rng);
        }
    }

    private List<string> Draw(MediaGeneration generation, int step)
    {
        var options = components.Config.Options;
        var count = options.Train.EvalSamples;
        // The same prompts every time, so the grids of successive evaluations compare cell by cell.
        var random = new Random((int)options.Run.Seed);
        var files = new List<string>();
        var prompts = new List<string>();
        var path = PathOf(run, step);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (generation.Has(Segments.Image))
        {
            var captions = Enumerable.Range(0, count).Select(_ => ShapeScene.Random(random).Caption).ToList();
            var sampling = LatentSampling.From(options.Diffusion, options.Run.Seed);
            var images = captions.Select((caption, i) => SegmentDecoder.Decode(generation.TextToImage(caption, sampling with { Seed = sampling.Seed + i })).Image!).ToList();
            var grid = ImageGrid.Tile(images);
            File.WriteAllBytes(path + ".png", ImageCodec.EncodePng(grid));
            tensorboard.WriteImage("samples/text_to_image", grid, step);
            files.Add(path + ".png");
            prompts.AddRange(captions.Select(c => $"image: {c}"));
        }
        if (generation.Has(Segments.Audio))
        {
            var captions = Enumerable.Range(0, count).Select(_ => ToneSpec.Random(random).Caption).ToList();
            var clips = new List<AudioClip>();
            for (var i = 0; i < captions.Count; i++)
            {
                try
                {
                    clips.Add(SegmentDecoder.Decode(generation.TextToAudio(captions[i], new SamplingOptions(Temperature: 0, Seed: options.Run.Seed + i), MaxAudioSeconds)).Audio!);
                }
                catch (InvalidOperationException e)
                {
                    // Early in training the model may close a clip before its first frame; that is a result, not a failure.
                    log.Information("step {Step}: no audio for \"{Caption}\": {Reason}", step, captions[i], e.Message);
                }
            }
            if (clips.Count > 0)
            {
                File.WriteAllBytes(path + ".wav", WavCodec.Encode(Concatenate(clips)));
                files.Add(path + ".wav");
            }
            prompts.AddRange(captions.Select(c => $"audio: {c}"));
        }
        File.WriteAllLines(Path.Combine(run.Root, FolderName, "prompts.txt"), prompts);
        return files;
    }

    /// <summary>The clips one after another, a quarter second of silence between them.</summary>
    private static AudioClip Concatenate(IReadOnlyList<AudioClip> clips)
    {
        var rate = clips[0].SampleRate;
        var gap = new float[rate / 4];
        return new AudioClip(rate, [.. clips.SelectMany((clip, i) => i == 0 ? clip.Samples : gap.Concat(clip.Samples))]);
    }
}

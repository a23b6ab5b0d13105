using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Luma.Unified.Abstractions;
using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;
using Luma.Unified.Modalities.Media;
using Luma.Unified.Model.Generation;
using Luma.Unified.Training;
using Luma.Unified.Training.Checkpointing;

namespace Luma.Unified.Cli.Commands;

/// <summary>
/// <c>luma sample</c>: generate from a trained checkpoint — text, text → image, image → caption, text → audio,
/// video rollout from a first frame, or interleaved text and images — writing the results and a summary to an
/// output folder.
/// </summary>
public static class SampleCommand
{
    private static readonly string[] s_tasks = ["text", "image", "caption", "audio", "video", "interleaved"];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var checkpoint = new Option<string>("--checkpoint")
        {
            Description = "A run directory (its newest checkpoint is used) or one checkpoints/step_N directory.",
            Required = true,
        };
        var task = new Option<string>("--task") { Description = $"What to generate: {string.Join(", ", s_tasks)}.", DefaultValueFactory = _ => "text" };
        var prompt = new Option<string>("--prompt") { Description = "Text to continue (text, interleaved) or the caption to render (image, audio).", DefaultValueFactory = _ => "" };
        var image = new Option<string?>("--image") { Description = "With --task caption: the image (PNG or JPEG) to describe; with --task video: the first frame." };
        var frames = new Option<int>("--frames") { Description = "With --task video: frames of the rolled-out video.", DefaultValueFactory = _ => 9 };
        var count = new Option<int>("--count", "-n") { Description = "Samples to draw, seeds --seed, --seed + 1, …", DefaultValueFactory = _ => 1 };
        var outDirectory = new Option<string?>("--out", "-o") { Description = "Folder for the generated files and summary.json (required for tasks that generate media)." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Tokens to generate at most.", DefaultValueFactory = _ => 200 };
        var temperature = new Option<double>("--temperature") { Description = "Softmax temperature; 0 = greedy.", DefaultValueFactory = _ => 0.8 };
        var topK = new Option<int>("--top-k") { Description = "Sample from the k most likely tokens; 0 = all.", DefaultValueFactory = _ => 0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling threshold; 1 = off.", DefaultValueFactory = _ => 0.95 };
        var seed = new Option<long>("--seed") { Description = "Sampling seed.", DefaultValueFactory = _ => 0 };
        var steps = new Option<int?>("--steps") { Description = "ODE steps per image (default: diffusion.sampling_steps of the run)." };
        var cfg = new Option<double?>("--cfg-scale") { Description = "Classifier-free guidance scale; 1 = conditional only (default: diffusion.cfg_scale)." };
        var sampler = new Option<string?>("--sampler") { Description = "ODE solver: euler or heun (default: diffusion.sampler)." };
        var seconds = new Option<double>("--max-seconds") { Description = "With --task audio: longest clip.", DefaultValueFactory = _ => 2.0 };
        var noCache = new Option<bool>("--no-kv-cache") { Description = "Text task: recompute the whole sequence every step (slow; for checking the cache)." };

        var command = new Command("sample", "Generate text, images, captions, audio or interleaved documents from a trained checkpoint.");
        foreach (var option in new Option[] { checkpoint, task, prompt, image, frames, count, outDirectory, maxNewTokens, temperature, topK, topP, seed, steps, cfg, sampler, seconds, noCache })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var kind = parse.GetValue(task)!;
            if (!s_tasks.Contains(kind))
            {
                throw new UsageException($"--task {kind}: expected one of {string.Join(", ", s_tasks)}.");
            }
            var text = new SamplingOptions(parse.GetValue(maxNewTokens), parse.GetValue(temperature), parse.GetValue(topK), parse.GetValue(topP), parse.GetValue(seed));
            try
            {
                text.Validate();
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            var samples = parse.GetValue(count);
            if (samples < 1)
            {
                throw new UsageException("--count must be at least 1.");
            }
            var folder = parse.GetValue(outDirectory);
            if (kind is not ("text" or "caption") && folder is null)
            {
                throw new UsageException($"--task {kind} writes media: pass --out FOLDER.");
            }
            var trained = TrainedCheckpoint.Open(parse.GetValue(checkpoint)!, error);
            var components = trained.Components;
            var latents = trained.Latents(parse.GetValue(steps), parse.GetValue(cfg), parse.GetValue(sampler), parse.GetValue(seed));
            var generation = new MediaGeneration(components.Model, components.Tokenizer, components.Modalities);
            var promptText = parse.GetValue(prompt) ?? "";
            var results = new List<SampleRecord>();
            for (var i = 0; i < samples; i++)
            {
                var (textSample, latentSample) = (text with { Seed = text.Seed + i }, latents with { Seed = latents.Seed + i });
                IReadOnlyList<SegmentRecord> produced;
                try
                {
                    produced = kind switch
                    {
                        "text" => [Segments.OfText(promptText + Continue(components, promptText, textSample, !parse.GetValue(noCache)))],
                        "image" => [generation.TextToImage(promptText, latentSample)],
                        "caption" => [Segments.OfText(generation.Caption(ReadImage(parse.GetValue(image)), textSample))],
                        "audio" => [generation.TextToAudio(promptText, textSample, parse.GetValue(seconds))],
                        "video" => [Rollout(components, generation, promptText, parse.GetValue(image), parse.GetValue(frames), latentSample)],
                        _ => generation.Interleaved(promptText, textSample, latentSample),
                    };
                }
                catch (InvalidOperationException e)
                {
                    throw new UsageException($"--task {kind}: {e.Message}");
                }
                var files = new List<string>();
                for (var s = 0; s < produced.Count; s++)
                {
                    if (produced[s].Text is { } t)
                    {
                        output.WriteLine(t);
                    }
                    if (folder is not null)
                    {
                        Directory.CreateDirectory(folder);
                        files.Add(Path.GetFileName(SegmentFiles.WriteAsync(produced[s], Path.Combine(folder, $"{kind}-{i:D3}-{s}-{produced[s].Modality}")).GetAwaiter().GetResult()));
                    }
                }
                results.Add(new SampleRecord(i, text.Seed + i, [.. produced.Select(p => p.Modality)], [.. produced.Where(p => p.Text is not null).Select(p => p.Text!)], files));
            }
            if (folder is not null)
            {
                var summary = Path.Combine(folder, "summary.json");
                File.WriteAllText(summary, JsonSerializer.Serialize(new
                {
                    task = kind, prompt = promptText, checkpoint = trained.Directory, step = trained.Step, ema = trained.Ema,
                    sampler = ConfigNaming.EnumValue(latents.Sampler), steps = latents.Steps, cfg_scale = latents.CfgScale, samples = results,
                }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {results.Sum(r => r.Files.Count)} file(s) and {summary}"));
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private sealed record SampleRecord(int Index, long Seed, IReadOnlyList<string> Segments, IReadOnlyList<string> Texts, IReadOnlyList<string> Files);

    private static string Continue(RunComponents components, string prompt, SamplingOptions options, bool useKvCache)
    {
        var tokenizer = components.Tokenizer;
        List<int> promptIds = [tokenizer.SpecialTokenId(SpecialTokens.BeginDocument), .. tokenizer.Encode(prompt)];
        var result = new TextGenerator(components.Model).Generate(promptIds, options, tokenizer.SpecialTokenId(SpecialTokens.EndDocument), useKvCache);
        return tokenizer.Decode(result.Tokens);
    }

    private static SegmentRecord Rollout(RunComponents components, MediaGeneration generation, string caption, string? firstFramePath, int frames, LatentSampling sampling)
    {
        var video = components.Modalities.OfType<VideoModality>().FirstOrDefault()
            ?? throw new InvalidOperationException("this run has no video modality (modalities.options.video.codec).");
        int latentFrames;
        try
        {
            latentFrames = video.LatentFramesOf(frames);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--frames {frames}: {e.Message}");
        }
        var frame = SegmentDecoder.Decode(ReadImage(firstFramePath)).Image!;
        return generation.VideoRollout(caption, frame, latentFrames, sampling);
    }

    private static SegmentRecord ReadImage(string? path)
    {
        if (path is null)
        {
            throw new UsageException("--task caption and --task video need --image FILE.");
        }
        if (!File.Exists(path))
        {
            throw new UsageException($"--image {path}: no such file.");
        }
        try
        {
            return Segments.OfImage(ImageCodec.Decode(File.ReadAllBytes(path)));
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"--image {path}: {e.Message}");
        }
    }
}

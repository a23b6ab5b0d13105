using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Luma.Unified.Config;
using Luma.Unified.Data.Format;
using Luma.Unified.Evaluation;
using Luma.Unified.Model.Generation;
using Luma.Unified.Modalities.Media;
using Luma.Unified.Training;
using Luma.Unified.Training.Checkpointing;
using Spectre.Console;

namespace Luma.Unified.Cli.Commands;

/// <summary><c>luma eval</c>: score a checkpoint on held-out shapes-world prompts; print a table and write JSON.</summary>
public static class EvalCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A run directory (its newest checkpoint) or one checkpoints/step_N directory.", Required = true };
        var json = new Option<string?>("--json") { Description = "Also write the scores to this JSON file." };
        var prompts = new Option<int>("--prompts", "-n") { Description = "Held-out prompts per task.", DefaultValueFactory = _ => 100 };
        var seed = new Option<long>("--seed") { Description = "Seed of the held-out prompts and of sampling.", DefaultValueFactory = _ => 2026 };
        var steps = new Option<int?>("--steps") { Description = "ODE steps per image (default: diffusion.sampling_steps)." };
        var cfg = new Option<double?>("--cfg-scale") { Description = "Guidance scale (default: diffusion.cfg_scale)." };
        var raw = new Option<bool>("--raw") { Description = "Score the optimizer's weights even when the checkpoint holds an EMA (the default scores the EMA)." };
        var command = new Command("eval", "Score a trained checkpoint on held-out shapes-world prompts: captioning, text → image and text → audio.");
        foreach (var option in new Option[] { checkpoint, json, prompts, seed, steps, cfg, raw })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var count = parse.GetValue(prompts);
            if (count < 1)
            {
                throw new UsageException("--prompts must be at least 1.");
            }
            var trained = TrainedCheckpoint.Open(parse.GetValue(checkpoint)!, error, preferEma: !parse.GetValue(raw));
            var components = trained.Components;
            var image = components.Modalities.OfType<ImageModality>().FirstOrDefault();
            var video = components.Modalities.OfType<VideoModality>().FirstOrDefault();
            if (image is null && video is null && !components.Modalities.Any(m => m.Name == Segments.Audio))
            {
                throw new UsageException($"{trained.Directory}: the run has no image, audio or video modality, so there is nothing to evaluate (see configs/tiny-shapes.yaml).");
            }
            var latents = trained.Latents(parse.GetValue(steps), parse.GetValue(cfg), sampler: null, parse.GetValue(seed));
            var text = new SamplingOptions(MaxNewTokens: 64, Temperature: 0, Seed: parse.GetValue(seed));
            var evaluation = new ShapesWorldEvaluation(new MediaGeneration(components.Model, components.Tokenizer, components.Modalities), image?.ImageSize ?? 64, video);
            var report = ConsoleProgress.RunAsync("eval", (long)count * evaluation.TasksPerPrompt, error,
                progress => Task.FromResult(evaluation.Run(count, parse.GetValue(seed), text, latents, progress))).GetAwaiter().GetResult();
            Print(report, output);
            if (parse.GetValue(json) is { } path)
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
                Directory.CreateDirectory(directory);
                File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["checkpoint"] = trained.Directory,
                    ["step"] = trained.Step,
                    ["ema"] = trained.Ema,
                    ["prompts"] = report.Prompts,
                    ["caption_accuracy"] = report.CaptionAccuracy,
                    ["caption_exact_match"] = report.CaptionExactMatch,
                    ["caption_attribute_accuracy"] = report.CaptionAttributeAccuracy,
                    ["t2i_color_accuracy"] = report.T2iColorAccuracy,
                    ["t2i_shape_accuracy"] = report.T2iShapeAccuracy,
                    ["t2i_position_accuracy"] = report.T2iPositionAccuracy,
                    ["codec_color_accuracy"] = report.CodecColorAccuracy,
                    ["codec_shape_accuracy"] = report.CodecShapeAccuracy,
                    ["codec_position_accuracy"] = report.CodecPositionAccuracy,
                    ["audio_pitch_accuracy"] = report.AudioPitchAccuracy,
                    ["video_direction_accuracy"] = report.VideoDirectionAccuracy,
                    ["sampler"] = ConfigNaming.EnumValue(latents.Sampler),
                    ["sampling_steps"] = latents.Steps,
                    ["cfg_scale"] = latents.CfgScale,
                    ["seconds"] = report.Seconds,
                }, new JsonSerializerOptions { WriteIndented = true }));
                error.WriteLine($"wrote {path}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Print(EvaluationReport report, TextWriter output)
    {
        var table = new Table().AddColumn("metric").AddColumn(new TableColumn("score").RightAligned()).AddColumn("what it measures");
        void Row(string name, double? value, string meaning) =>
            table.AddRow(name, value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a", meaning);
        Row("caption_accuracy", report.CaptionAccuracy, "share of colour, shape, size and position words right in generated captions");
        Row("caption_exact_match", report.CaptionExactMatch, "captions with all five attributes right");
        foreach (var (attribute, value) in report.CaptionAttributeAccuracy)
        {
            Row($"  caption {attribute}", value, "");
        }
        Row("t2i_color_accuracy", report.T2iColorAccuracy, "generated images whose shape has the prompt's colour");
        Row("t2i_shape_accuracy", report.T2iShapeAccuracy, "generated images showing the prompt's shape");
        Row("t2i_position_accuracy", report.T2iPositionAccuracy, "generated images with the shape in the prompt's grid cell");
        Row("codec_color_accuracy", report.CodecColorAccuracy, "the prompts' own images after one trip through the image codec: colour right (the most t2i can score)");
        Row("codec_shape_accuracy", report.CodecShapeAccuracy, "… shape right");
        Row("codec_position_accuracy", report.CodecPositionAccuracy, "… grid cell right");
        Row("audio_pitch_accuracy", report.AudioPitchAccuracy, "generated tones at the prompt's pitch (n/a: no audio modality)");
        Row("video_direction_accuracy", report.VideoDirectionAccuracy, "videos rolled out from a first frame moving in the caption's direction (n/a: no video modality)");
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Write(table);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{report.Prompts} prompts per task in {report.Seconds:0.0} s"));
    }
}

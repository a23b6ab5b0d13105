using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Luma.Unified.Config;
using Luma.Unified.Runtime;
using Luma.Unified.Runtime.Performance;
using Luma.Unified.Training.Benchmarking;
using Spectre.Console;
using static TorchSharp.torch;

namespace Luma.Unified.Cli.Commands;

/// <summary>
/// <c>luma bench</c>: the real training step of a config, timed — tokens/s, model FLOPs, MFU against this
/// machine's matmul peak measured in the same process, the step's time split, loader stalls and memory.
/// </summary>
public static class BenchCommand
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var arguments = new ConfigArguments();
        var steps = new Option<int>("--steps") { Description = "Measured steps (after warm-up).", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up steps, not measured.", DefaultValueFactory = _ => 3 };
        var json = new Option<string?>("--json") { Description = "Also write every figure to this JSON file." };
        var compare = new Option<bool>("--compare-precision") { Description = "Run fp32 and then bf16-mixed and print the speed-up." };
        var compareCheckpointing = new Option<bool>("--compare-checkpointing") { Description = "Run without and then with model.activation_checkpointing and print the peak-memory saving and the time cost." };
        var peakSizes = new Option<string>("--peak-sizes") { Description = "Square matmul sizes the peak is measured on, comma-separated.", DefaultValueFactory = _ => "1024,2048,4096" };
        var peakRepeats = new Option<int>("--peak-repeats") { Description = "Timed runs per peak size (the best counts).", DefaultValueFactory = _ => 3 };
        var command = new Command("bench", "Time the real training step of a config: tokens/s, samples/s, model FLOPs, MFU against the measured matmul peak, step time split, loader stalls, memory.");
        arguments.AddTo(command);
        foreach (var option in new Option[] { steps, warmup, json, compare, compareCheckpointing, peakSizes, peakRepeats })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var settings = new BenchmarkSettings(parse.GetValue(warmup), parse.GetValue(steps), ParseSizes(parse.GetValue(peakSizes)), parse.GetValue(peakRepeats));
            if (settings.Steps < 1 || settings.WarmupSteps < 0 || settings.PeakRepeats < 1)
            {
                throw new UsageException("--steps and --peak-repeats must be at least 1 and --warmup at least 0.");
            }
            var overrides = parse.GetValue(arguments.Overrides) ?? [];
            var configFile = parse.GetValue(arguments.ConfigFile)!;
            string[][] precisions = parse.GetValue(compare) ? [["train.precision=fp32"], ["train.precision=bf16-mixed"]] : [[]];
            // The run with checkpointing goes first: memory an earlier run leaves reserved (libtorch's CUDA cache, glibc's
            // heap) then sits under the run that needs more anyway, and cannot hide its peak.
            string[][] checkpointing = parse.GetValue(compareCheckpointing) ? [["model.activation_checkpointing=true"], ["model.activation_checkpointing=false"]] : [[]];
            var configs = precisions.SelectMany(p => checkpointing.Select(c => ConfigLoader.Load(configFile, [.. overrides, .. p, .. c]))).ToList();
            TorchRuntime.EnsureLoaded();

            // Every measurement of a dtype's peak joins the best figures so far.
            var peaks = new Dictionary<ScalarType, MatmulPeak>();
            MatmulPeak PeakOf(ScalarType dtype, Device device)
            {
                error.WriteLine($"bench: measuring the {TrainingBenchmark.DtypeName(dtype)} matmul peak ({string.Join(", ", settings.PeakSizes.Select(s => $"{s}²"))}, best of {settings.PeakRepeats})");
                var measured = MatmulThroughput.Peak(dtype, settings.PeakSizes, settings.PeakRepeats, device);
                return peaks[dtype] = peaks.TryGetValue(dtype, out var earlier) ? earlier.Best(measured) : measured;
            }
            var runs = new List<BenchmarkRun>();
            foreach (var config in configs)
            {
                error.WriteLine($"bench: {config.Options.Run.Name}, precision {ConfigNaming.EnumValue(config.Options.Train.Precision)}{(config.Options.Model.ActivationCheckpointing ? ", activation checkpointing" : "")}: {settings.WarmupSteps} warm-up + {settings.Steps} measured steps");
                runs.Add(TrainingBenchmark.Run(config, settings, PeakOf, error.WriteLine));
            }
            var report = Report(configFile, runs, peaks.Values);
            Print(output, report);
            if (parse.GetValue(json) is { } path)
            {
                File.WriteAllText(path, JsonSerializer.Serialize(report, s_json));
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static BenchmarkReport Report(string configFile, IReadOnlyList<BenchmarkRun> runs, IEnumerable<MatmulPeak> peaks)
    {
        var environment = EnvironmentReport.Collect();
        var figures = peaks.Select(p => new PeakFigures(
            TrainingBenchmark.DtypeName(p.Dtype),
            p.BySize.ToDictionary(s => s.Key.ToString(CultureInfo.InvariantCulture), s => s.Value),
            p.Gflops)).ToList();
        // Pairs differ in one setting only: the first run of each kind is the baseline.
        var (fp32, bf16) = (runs.FirstOrDefault(r => r.ComputeDtype == "fp32"), runs.FirstOrDefault(r => r.ComputeDtype == "bf16"));
        var (fp32Peak, bf16Peak) = (figures.FirstOrDefault(f => f.Dtype == "fp32"), figures.FirstOrDefault(f => f.Dtype == "bf16"));
        var (stored, recomputed) = (runs.FirstOrDefault(r => !r.ActivationCheckpointing), runs.FirstOrDefault(r => r.ActivationCheckpointing));
        var checkpointPair = stored is not null && recomputed is not null && stored.ComputeDtype == recomputed.ComputeDtype;
        return new BenchmarkReport(
            configFile, environment.CpuModel, environment.LogicalCores, figures, runs,
            fp32 is not null && bf16 is not null ? bf16.TokensPerSecond / fp32.TokensPerSecond : null,
            fp32Peak is not null && bf16Peak is not null ? bf16Peak.Gflops / fp32Peak.Gflops : null,
            checkpointPair && PeakMemory(recomputed!) is { } with && PeakMemory(stored!) is { } without ? 1 - with / without : null,
            checkpointPair ? recomputed!.StepSeconds / stored!.StepSeconds - 1 : null);
    }

    // On a GPU the activations live in device memory, where only an exact reading compares; host memory hardly moves.
    private static double? PeakMemory(BenchmarkRun run) =>
        run.PeakGpuMemoryBytes is null ? run.PeakRssBytes : run.GpuPeakIsExact ? run.PeakGpuMemoryBytes : null;

    private static void Print(TextWriter output, BenchmarkReport report)
    {
        var console = ConsoleTables.Over(output);
        output.WriteLine($"luma bench {report.Config} on {report.Cpu}, {report.LogicalCores} logical cores");
        var table = new Table().AddColumn("");
        foreach (var run in report.Runs)
        {
            table.AddColumn(new TableColumn(run.Precision + (run.ActivationCheckpointing ? " + ckpt" : "")).RightAligned());
        }
        void Row(string name, Func<BenchmarkRun, string> value) => table.AddRow([name, .. report.Runs.Select(value)]);
        var modalities = report.Runs.SelectMany(r => r.PositionsPerStep.Keys).Distinct().Order().ToList();
        Row("compute dtype", r => r.ComputeDtype);
        Row("steps (warm-up + measured)", r => $"{r.WarmupSteps} + {r.Steps}");
        Row("step time", r => $"{F(r.StepSeconds, "0.000")} s");
        Row("tokens/s", r => F(r.TokensPerSecond));
        foreach (var m in modalities)
        {
            Row($"  {m}: samples/s", r => F(r.SamplesPerSecond.GetValueOrDefault(m), "0.0"));
            Row($"  {m}: positions/step", r => F(r.PositionsPerStep.GetValueOrDefault(m)));
            Row($"  {m}: model FLOPs/token", r => r.FlopsPerToken.TryGetValue(m, out var f) ? $"{F(f / 1e6, "0.00")} M" : "-");
        }
        Row("model FLOPs/step", r => $"{F(r.ModelFlopsPerStep / 1e9, "0.0")} G");
        Row("achieved", r => $"{F(r.AchievedFlopsPerSecond / 1e9, "0.0")} GFLOP/s");
        Row("measured matmul peak", r => $"{F(r.PeakFlopsPerSecond / 1e9, "0.0")} GFLOP/s");
        Row("MFU", r => $"{F(100 * r.Mfu, "0.0")} %");
        Row("data wait / step", r => Share(r.StepTime.DataWait, r));
        Row("forward / step", r => Share(r.StepTime.Forward, r));
        Row("backward / step", r => Share(r.StepTime.Backward, r));
        Row("optimizer / step", r => Share(r.StepTime.Optimizer, r));
        Row("collectives / step", r => Share(r.StepTime.Collectives, r));
        Row("other / step", r => Share(r.StepTime.Other, r));
        Row("loader stall", r => $"{F(100 * r.LoaderStallFraction, "0.00")} %");
        Row("peak RSS", r => $"{F(r.PeakRssBytes / 1048576.0)} MiB");
        Row("RSS growth after warm-up", r => $"{F(100 * r.RssGrowthFraction, "0.00")} %");
        if (report.Runs.Any(r => r.PeakGpuMemoryBytes is not null))
        {
            Row("peak GPU memory (whole device)", r => r.PeakGpuMemoryBytes is { } bytes ? $"{(r.GpuPeakIsExact ? "" : "≤ ")}{F(bytes / 1048576.0)} MiB" : "-");
        }
        Row("threads × ranks", r => $"{r.Threads} × {r.Ranks}");
        Row("final loss", r => F(r.FinalLoss, "0.0000"));
        console.Write(table);
        output.WriteLine($"allocator: {report.Runs[0].Allocator}");
        foreach (var run in report.Runs.Where(r => r.PrecisionReason != "set in the config"))
        {
            output.WriteLine($"precision: {run.PrecisionReason}");
        }
        foreach (var peak in report.Peaks)
        {
            output.WriteLine($"{peak.Dtype} matmul peak: {string.Join(", ", peak.GflopsBySize.Select(s => $"{s.Key}² {F(s.Value)}"))} GFLOP/s");
        }
        if (report.Bf16Speedup is { } speedup)
        {
            output.WriteLine($"bf16-mixed / fp32 tokens/s: {F(speedup, "0.00")}× (bf16 / fp32 matmul peak: {F(report.Bf16PeakRatio!.Value, "0.00")}×)");
        }
        if (report.Runs.Any(r => r.PeakGpuMemoryBytes is not null && !r.GpuPeakIsExact))
        {
            output.WriteLine("peak GPU memory: ≤ marks a run that began with an earlier run's memory still reserved by libtorch's CUDA cache " +
                "(TorchSharp 0.107 cannot empty it), so its own peak may be lower; run it alone for the figure");
        }
        if (report.CheckpointingMemorySaving is { } saving)
        {
            var memory = report.Runs.All(r => r.PeakGpuMemoryBytes is not null) ? "peak GPU memory" : "peak RSS";
            output.WriteLine($"activation checkpointing: {memory} {F(100 * saving, "0.0")} % lower, step time {F(100 * report.CheckpointingTimeCost!.Value, "0.0")} % longer");
        }
    }

    private static string Share(double seconds, BenchmarkRun run) =>
        $"{F(seconds * 1000, "0.0")} ms ({F(100 * seconds / run.StepSeconds, "0.0")} %)";

    private static List<int> ParseSizes(string? text)
    {
        List<int> sizes = [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, CultureInfo.InvariantCulture, out var n) && n is >= 16 and <= 16384
                ? n
                : throw new UsageException($"--peak-sizes: '{s}' is not a matrix size between 16 and 16384"))];
        return sizes.Count > 0 ? sizes : throw new UsageException("--peak-sizes: give at least one size, e.g. 1024,2048,4096");
    }

    private static string F(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);
}

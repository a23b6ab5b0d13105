using System.CommandLine;
using System.Globalization;
using Luma.Unified.Distributed;
using Luma.Unified.Distributed.Mpi;
using Luma.Unified.Runtime;
using Luma.Unified.Runtime.Placement;

namespace Luma.Unified.Cli.Commands;

/// <summary><c>luma collectives-bench</c>: all-reduce bus bandwidth through the framework and through Open MPI itself.</summary>
public static class CollectivesBenchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var iterations = new Option<int>("--iterations") { Description = "Timed all-reduces per size and path.", DefaultValueFactory = _ => 20 };
        var maxMegabytes = new Option<int>("--max-mb") { Description = "Largest buffer in MiB (sizes go from 4 KiB up by ×4).", DefaultValueFactory = _ => 64 };
        var command = new Command("collectives-bench", "Time float32 all-reduces (4 KiB .. --max-mb) through luma's collectives and through plain MPI_Allreduce; run it under `luma launch --nproc-per-node N`.");
        command.Options.Add(iterations);
        command.Options.Add(maxMegabytes);
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var placement = RankPlacement.Detect();
            if (!placement.IsDistributed)
            {
                throw new UsageException("collectives-bench needs several processes: run `luma launch --nproc-per-node 2 -- collectives-bench`.");
            }
            if (parse.GetValue(iterations) < 1 || parse.GetValue(maxMegabytes) < 1)
            {
                throw new UsageException("--iterations and --max-mb must be at least 1.");
            }
            TorchRuntime.EnsureLoaded();
            using var world = new MpiCollectives(TimeSpan.FromMinutes(5));
            var sizes = new List<long>();
            for (long bytes = 4096; bytes <= parse.GetValue(maxMegabytes) * 1024L * 1024; bytes *= 4)
            {
                sizes.Add(bytes);
            }
            var timings = CollectiveBenchmark.Run(world, sizes, parse.GetValue(iterations));
            if (world.Rank == 0)
            {
                output.WriteLine($"all-reduce, float32, {world.WorldSize} ranks, {world.Engine}; bus bandwidth = bytes × 2(n−1)/n / time");
                output.WriteLine($"{"size",10}  {"luma µs",10}  {"luma GB/s",10}  {"MPI µs",10}  {"MPI GB/s",10}");
                foreach (var t in timings)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{Size(t.Bytes),10}  {t.FrameworkSeconds * 1e6,10:0.0}  {AllReduceTiming.BusBandwidth(t.Bytes, t.FrameworkSeconds, t.Ranks) / 1e9,10:0.000}  {t.EngineSeconds * 1e6,10:0.0}  {AllReduceTiming.BusBandwidth(t.Bytes, t.EngineSeconds, t.Ranks) / 1e9,10:0.000}"));
                }
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Size(long bytes) => bytes >= 1 << 20 ? $"{bytes >> 20} MiB" : $"{bytes >> 10} KiB";
}

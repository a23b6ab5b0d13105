using Luma.Unified.Cli;
using Luma.Unified.Data.Loading;
using Luma.Unified.Tests.Support;
using Luma.Unified.Tests.Training;
using Luma.Unified.Training;
using Luma.Unified.Training.Observability;

namespace Luma.Unified.Tests.Distributed;

/// <summary>
/// Two ranks with B rows each must train exactly like one process with 2B rows: the reference runs in this process
/// on the union of the two ranks' rows (rank 0's then rank 1's, read by the same loaders the ranks use), the ranks as
/// real processes under <c>luma launch</c> (Open MPI). The text-only config has no diffusion noise or dropout, so
/// nothing random differs between the two.
/// </summary>
[Collection(ExclusiveRandomStream.Name)]
public sealed class DataParallelEquivalenceTests : TorchTest
{
    private const int Steps = 4;

    private static readonly string[] Schedule = ["train.steps=" + Steps, "checkpoint.every=0"];

    private static string[] PerRank(params string[] more) =>
        [.. Schedule, $"train.micro_batch={LaunchedTraining.RowsPerRank}", $"train.global_batch={2 * LaunchedTraining.RowsPerRank}", .. more];

    [Fact]
    public void TwoRanksWithBatchBEndWithTheWeightsOfOneRankWithBatch2B()
    {
        using var temp = new TempDirectory();
        var launched = LaunchedTraining.TwoRanks(temp.Path, temp.Combine("ddp"), PerRank());
        Assert.True(launched.ExitCode == ExitCodes.Success, launched.Output + launched.Error);
        Assert.Contains("Data parallel: rank 0 of 2 via Open MPI", launched.Output, StringComparison.Ordinal);

        var reference = TrainOnBothRanksRows(temp.Combine("reference"));

        var difference = LaunchedTraining.MaxDifference(LaunchedTraining.Checkpoint(temp.Combine("ddp"), Steps), reference);
        Assert.InRange(difference, 0, 1e-5);
        // The weights moved: the comparison is not between two untouched initialisations.
        Assert.True(LaunchedTraining.MaxDifference(reference, TrainOnBothRanksRows(temp.Combine("two-steps"), steps: 2)) > 1e-3);
    }

    [Fact]
    public void ZeroStageOneEndsWithTheWeightsOfPlainDataParallelism()
    {
        using var temp = new TempDirectory();
        var plain = LaunchedTraining.TwoRanks(temp.Path, temp.Combine("plain"), PerRank());
        var sharded = LaunchedTraining.TwoRanks(temp.Path, temp.Combine("zero1"), PerRank("train.zero_stage=1"));

        Assert.True(plain.ExitCode == ExitCodes.Success, plain.Error);
        Assert.True(sharded.ExitCode == ExitCodes.Success, sharded.Output + sharded.Error);
        Assert.Contains("ZeRO stage 1", sharded.Output, StringComparison.Ordinal);
        var difference = LaunchedTraining.MaxDifference(LaunchedTraining.Checkpoint(temp.Combine("plain"), Steps), LaunchedTraining.Checkpoint(temp.Combine("zero1"), Steps));
        Assert.InRange(difference, 0, 1e-5);
        // Each rank holds half of AdamW's moments: the log reports both ranks' bytes, half the replicated figure.
        Assert.Matches(@"optimizer state per rank (?<a>[\d,]+) / \k<a> bytes", sharded.Output);
        var replicated = System.Text.RegularExpressions.Regex.Match(plain.Output, @"optimizer state per rank ([\d,]+) /").Groups[1].Value;
        var shard = System.Text.RegularExpressions.Regex.Match(sharded.Output, @"optimizer state per rank ([\d,]+) /").Groups[1].Value;
        Assert.InRange(long.Parse(shard.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture) * 2.0 / long.Parse(replicated.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture), 1.0, 1.001);
    }

    [Fact]
    public void RanksReadDisjointDocuments()
    {
        var config = TinyConfigs.Load();
        var components = RunComponents.Build(config);
        using var rank0 = components.Loader(heldOut: false, rank: 0, worldSize: 2, LaunchedTraining.RowsPerRank, config.Options.Run.Seed);
        using var rank1 = components.Loader(heldOut: false, rank: 1, worldSize: 2, LaunchedTraining.RowsPerRank, config.Options.Run.Seed);

        var seen0 = Documents(rank0, 20);
        var seen1 = Documents(rank1, 20);

        Assert.True(seen0.Count > 20 && seen1.Count > 20);
        Assert.Empty(seen0.Intersect(seen1));
    }

    private static HashSet<string> Documents(DataLoader loader, int batches) =>
        [.. Enumerable.Range(0, batches).SelectMany(_ => loader.Next().Rows.SelectMany(r => r.DocumentIds))];

    /// <summary>One process, batch 2B per step: rank 0's B rows followed by rank 1's. Returns the final checkpoint.</summary>
    private static string TrainOnBothRanksRows(string runDirectory, int steps = Steps)
    {
        var config = TinyConfigs.Load(["checkpoint.every=0", $"train.steps={steps}", $"train.micro_batch={2 * LaunchedTraining.RowsPerRank}", $"train.global_batch={2 * LaunchedTraining.RowsPerRank}"]);
        var run = RunDirectory.Create(runDirectory, config.ToYaml());
        DataLoader? rank0 = null, rank1 = null;
        try
        {
            using var log = RunLogging.Create(run.LogFile);
            var result = new Trainer(config, run, log)
            {
                StepRows = (components, _) =>
                {
                    rank0 ??= components.Loader(heldOut: false, rank: 0, worldSize: 2, LaunchedTraining.RowsPerRank, config.Options.Run.Seed);
                    rank1 ??= components.Loader(heldOut: false, rank: 1, worldSize: 2, LaunchedTraining.RowsPerRank, config.Options.Run.Seed);
                    return [[.. rank0.Next().Rows, .. rank1.Next().Rows]];
                },
            }.Run();
            return result.LastCheckpoint;
        }
        finally
        {
            rank0?.Dispose();
            rank1?.Dispose();
        }
    }
}

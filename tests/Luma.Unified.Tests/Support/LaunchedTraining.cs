using Luma.Unified.Tests.Support;
using TorchSharp.PyBridge;

namespace Luma.Unified.Tests.Support;

/// <summary>Data-parallel runs of the <see cref="TinyConfigs"/> model through the built <c>luma launch</c>, and weight comparisons.</summary>
public static class LaunchedTraining
{
    /// <summary>Rows per rank and step in these tests; the one-process reference reads twice as many.</summary>
    public const int RowsPerRank = 4;

    /// <summary>The train arguments (tiny-text shrunk by <see cref="TinyConfigs.SmallModel"/>) with <paramref name="more"/> overrides.</summary>
    public static string[] TrainArguments(string runDirectory, params string[] more) =>
        ["train", "--config", Repo.Config("tiny-text.yaml"), "--run-dir", runDirectory,
         .. TinyConfigs.SmallModel.Concat(more).SelectMany(s => new[] { "--set", s })];

    /// <summary><c>luma launch --nproc-per-node 2 -- train ...</c>, waited for.</summary>
    public static LumaOutcome TwoRanks(string workingDirectory, string runDirectory, params string[] more) =>
        LumaProcess.Child(workingDirectory, ["launch", "--nproc-per-node", "2", "--", .. TrainArguments(runDirectory, more)]);

    /// <summary>The largest absolute difference between two checkpoints' weights (same names required).</summary>
    public static double MaxDifference(string checkpointA, string checkpointB)
    {
        var a = Safetensors.LoadStateDict(Path.Combine(checkpointA, "model.safetensors"));
        var b = Safetensors.LoadStateDict(Path.Combine(checkpointB, "model.safetensors"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        var max = a.Keys.Max(name => (a[name] - b[name]).abs().max().item<float>());
        foreach (var tensor in a.Values.Concat(b.Values))
        {
            tensor.Dispose();
        }
        return max;
    }

    /// <summary>A run's checkpoint directory at <paramref name="step"/>.</summary>
    public static string Checkpoint(string runDirectory, int step) => Path.Combine(runDirectory, "checkpoints", $"step_{step:D8}");

    /// <summary>Process ids of the `luma train` workers of <paramref name="run"/>, by rank.</summary>
    public static List<int> Workers(string run)
    {
        var workers = new SortedDictionary<int, int>();
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            try
            {
                var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                if (arguments.Length < 3 || !arguments[1].EndsWith("luma.dll", StringComparison.Ordinal) || arguments[2] != "train" || !arguments.Contains(run))
                {
                    continue;
                }
                var rank = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0').First(v => v.StartsWith("RANK=", StringComparison.Ordinal))[5..];
                workers[int.Parse(rank, System.Globalization.CultureInfo.InvariantCulture)] = int.Parse(Path.GetFileName(directory), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
            {
                // Not ours, or it exited while being read.
            }
        }
        return [.. workers.Values];
    }
}

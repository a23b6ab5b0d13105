using System.Globalization;

namespace Luma.Unified.Runtime.Placement;

/// <summary>
/// Where this process sits in a data-parallel job, as its launcher described it in the environment. Launchers
/// are checked in order: torchrun-style variables (<c>RANK</c>, <c>WORLD_SIZE</c>, <c>LOCAL_RANK</c>,
/// <c>LOCAL_WORLD_SIZE</c>; what <c>luma launch</c> sets), Open MPI's <c>mpirun</c>
/// (<c>OMPI_COMM_WORLD_RANK</c>/<c>_SIZE</c>/<c>_LOCAL_RANK</c>/<c>_LOCAL_SIZE</c>) and Slurm's <c>srun</c>
/// (<c>SLURM_PROCID</c>, <c>SLURM_STEP_NUM_TASKS</c>, <c>SLURM_LOCALID</c>, <c>SLURM_STEP_TASKS_PER_NODE</c>: the
/// step's counts, which srun sets, not the allocation's <c>SLURM_NTASKS</c>, which a batch script also sees when
/// it runs one plain process); none of them means a single process.
/// </summary>
/// <param name="Rank">This process's rank in the job.</param>
/// <param name="WorldSize">Processes in the job.</param>
/// <param name="LocalRank">Rank among the processes of this node (picks the GPU).</param>
/// <param name="LocalWorldSize">Processes on this node (share its cores).</param>
/// <param name="Launcher">Which launcher's variables were read ("single process" when none).</param>
public sealed record RankPlacement(int Rank, int WorldSize, int LocalRank, int LocalWorldSize, string Launcher)
{
    /// <summary>One process, no launcher.</summary>
    public static RankPlacement Single { get; } = new(0, 1, 0, 1, "single process");

    /// <summary>True when more than one process trains together.</summary>
    public bool IsDistributed => WorldSize > 1;

    /// <summary>Reads the process environment.</summary>
    public static RankPlacement Detect() => Detect(Environment.GetEnvironmentVariable);

    /// <summary>Reads <paramref name="variable"/>; throws <see cref="ArgumentException"/> naming a variable that is present but not a valid number.</summary>
    public static RankPlacement Detect(Func<string, string?> variable)
    {
        (string Name, string Rank, string Size, string LocalRank, string LocalSize)[] launchers =
        [
            ("torchrun-style environment", "RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE"),
            ("Open MPI (mpirun)", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_SIZE"),
            ("Slurm (srun)", "SLURM_PROCID", "SLURM_STEP_NUM_TASKS", "SLURM_LOCALID", "SLURM_STEP_TASKS_PER_NODE"),
        ];
        foreach (var launcher in launchers)
        {
            if (variable(launcher.Rank) is null || variable(launcher.Size) is null)
            {
                continue;
            }
            var size = Read(variable, launcher.Size, 1, null);
            var rank = Read(variable, launcher.Rank, 0, size - 1);
            var localSize = variable(launcher.LocalSize) is null ? 1 : Read(variable, launcher.LocalSize, 1, size);
            var localRank = variable(launcher.LocalRank) is null ? 0 : Read(variable, launcher.LocalRank, 0, localSize - 1);
            return new RankPlacement(rank, size, localRank, localSize, launcher.Name);
        }
        return Single;
    }

    private static int Read(Func<string, string?> variable, string name, int min, int? max)
    {
        // SLURM_STEP_TASKS_PER_NODE reads like "8" or "8(x2)": the count comes first.
        var text = variable(name)!.Split('(')[0].Trim();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || (max is { } m && value > m))
        {
            var range = max is { } top ? $"{min}..{top}" : $"at least {min}";
            throw new ArgumentException($"environment variable {name}='{variable(name)}' is not a valid rank value (expected an integer {range}); check the launcher's settings.");
        }
        return value;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Luma.Unified.Distributed.Launch;

/// <summary>
/// What <c>luma launch</c> runs for one node: Open MPI's <c>mpirun</c> starting <c>nprocPerNode</c> copies of a luma
/// verb, each given the torchrun variables (<c>RANK</c>, <c>WORLD_SIZE</c>, <c>LOCAL_RANK</c>, <c>LOCAL_WORLD_SIZE</c>
/// mapped from Open MPI's own, plus <c>MASTER_ADDR</c>/<c>MASTER_PORT</c>). mpirun forms the MPI world the workers
/// join and ends the job as soon as one worker exits abnormally — so a dead rank makes the launch return non-zero
/// and takes the other workers down with it. SIGINT/SIGTERM to the launch go to the workers themselves (mpirun would
/// kill them at once), so they finish their step, save and exit 0 together.
/// </summary>
public static partial class MpirunLauncher
{
    private const string RankMapping =
        "export RANK=\"$OMPI_COMM_WORLD_RANK\" WORLD_SIZE=\"$OMPI_COMM_WORLD_SIZE\" LOCAL_RANK=\"$OMPI_COMM_WORLD_LOCAL_RANK\" LOCAL_WORLD_SIZE=\"$OMPI_COMM_WORLD_LOCAL_SIZE\"; exec \"$@\"";

    private const int SigTerm = 15;

    /// <summary>The mpirun command line for <paramref name="worker"/> (a luma verb and its arguments).</summary>
    public static IReadOnlyList<string> Arguments(int processesPerNode, IReadOnlyList<string> worker) =>
    [
        "-np", processesPerNode.ToString(CultureInfo.InvariantCulture),
        // More ranks than cores is legitimate on CPU (tests, small machines); binding each rank to one core would
        // starve libtorch's intra-op threads.
        "--oversubscribe", "--bind-to", "none",
        "-x", "MASTER_ADDR", "-x", "MASTER_PORT",
        "/bin/sh", "-c", RankMapping, "luma-worker",
        .. LumaCommand(), .. worker,
    ];

    /// <summary>Runs mpirun in the foreground (output inherited) and returns its exit code.</summary>
    public static int Run(int processesPerNode, string masterAddress, int masterPort, IReadOnlyList<string> worker, TextWriter error)
    {
        var start = new ProcessStartInfo("mpirun") { UseShellExecute = false };
        foreach (var argument in Arguments(processesPerNode, worker))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["MASTER_ADDR"] = masterAddress;
        start.Environment["MASTER_PORT"] = masterPort.ToString(CultureInfo.InvariantCulture);
        if (Environment.UserName == "root")
        {
            // Open MPI refuses root unless told; containers commonly run as root.
            start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
            start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FileNotFoundException($"cannot run mpirun ({e.Message}): luma launch starts its workers with Open MPI; install it with `apt-get install openmpi-bin libopenmpi-dev` (scripts/setup does).", e);
        }
        using (process)
        {
            void Forward(PosixSignalContext context)
            {
                context.Cancel = true;
                foreach (var worker in ChildrenOf(process.Id))
                {
                    _ = kill(worker, SigTerm);
                }
            }
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Forward);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Forward);
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                error.WriteLine($"error: luma launch: the workers failed (mpirun exit code {process.ExitCode}); the other workers were ended.");
            }
            return process.ExitCode;
        }
    }

    /// <summary>How to start this very luma again: the apphost, or <c>dotnet luma.dll</c>.</summary>
    private static string[] LumaCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var entry = Assembly.GetEntryAssembly()?.Location ?? "";
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, entry] : [host];
    }

    /// <summary>The processes whose parent is <paramref name="parent"/> (mpirun starts a node's workers itself).</summary>
    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are read after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && fields[1] == parent.ToString(CultureInfo.InvariantCulture))
            {
                yield return pid;
            }
        }
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}

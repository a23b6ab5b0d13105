using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Luma.Unified.Distributed.Launch;

/// <summary>
/// What <c>luma launch</c> runs on node 0: Open MPI's <c>mpirun</c> starting <c>nprocPerNode</c> copies of a luma
/// verb on every node, each given the torchrun variables (<c>RANK</c>, <c>WORLD_SIZE</c>, <c>LOCAL_RANK</c>,
/// <c>LOCAL_WORLD_SIZE</c> mapped from Open MPI's own, plus <c>MASTER_ADDR</c>/<c>MASTER_PORT</c>). mpirun forms the
/// MPI world the workers join and ends the job as soon as one worker exits abnormally — so a dead rank makes the
/// launch return non-zero and takes the other workers down with it. SIGINT/SIGTERM to the launch go to the workers
/// themselves (mpirun would kill them at once), so they finish their step, save and exit 0 together. With several
/// nodes, mpirun reaches the others through a <see cref="NodeRendezvous"/>.
/// </summary>
public static class MpirunLauncher
{
    private const string RankMapping =
        "export RANK=\"$OMPI_COMM_WORLD_RANK\" WORLD_SIZE=\"$OMPI_COMM_WORLD_SIZE\" LOCAL_RANK=\"$OMPI_COMM_WORLD_LOCAL_RANK\" LOCAL_WORLD_SIZE=\"$OMPI_COMM_WORLD_LOCAL_SIZE\"; exec \"$@\"";

    /// <summary>The mpirun command line for <paramref name="worker"/> (a luma verb and its arguments) on one node, or on the nodes of <paramref name="rendezvous"/>.</summary>
    public static IReadOnlyList<string> Arguments(int processesPerNode, IReadOnlyList<string> worker, NodeRendezvous? rendezvous = null)
    {
        var nodes = rendezvous?.NodeCount ?? 1;
        var arguments = new List<string>
        {
            "-np", (processesPerNode * nodes).ToString(CultureInfo.InvariantCulture),
            // More ranks than cores is legitimate on CPU (tests, small machines); binding each rank to one core would
            // starve libtorch's intra-op threads.
            "--oversubscribe", "--bind-to", "none",
            "-x", "MASTER_ADDR", "-x", "MASTER_PORT",
        };
        if (Console.IsOutputRedirected)
        {
            // mpirun hands workers a pseudo-terminal even when the launch writes to a file: ask them for plain log lines.
            arguments.AddRange(["-x", "LUMA_PROGRESS=plain"]);
        }
        if (rendezvous is not null)
        {
            var hosts = Enumerable.Range(0, nodes).Select(n => $"{NodeRendezvous.NodeName(n)}:{processesPerNode}");
            // The agent replaces ssh; without tree spawn mpirun starts every daemon itself, so only node 0 runs agents.
            arguments.AddRange(["--host", string.Join(',', hosts),
                "--mca", "plm_rsh_agent", string.Join(' ', RemoteShellAgent.Command(rendezvous.Port)),
                "--mca", "plm_rsh_no_tree_spawn", "1"]);
        }
        arguments.AddRange(["/bin/sh", "-c", RankMapping, "luma-worker", .. LumaCommand(), .. worker]);
        return arguments;
    }

    /// <summary>Runs mpirun in the foreground (output inherited) and returns its exit code, which a rendezvous passes on to the other nodes.</summary>
    public static int Run(int processesPerNode, string masterAddress, int masterPort, IReadOnlyList<string> worker, TextWriter error, NodeRendezvous? rendezvous = null)
    {
        var start = new ProcessStartInfo("mpirun") { UseShellExecute = false };
        foreach (var argument in Arguments(processesPerNode, worker, rendezvous))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["MASTER_ADDR"] = masterAddress;
        start.Environment["MASTER_PORT"] = masterPort.ToString(CultureInfo.InvariantCulture);
        AllowRoot(start);
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
                foreach (var worker in ProcessTree.ChildrenOf(process.Id))
                {
                    ProcessTree.Signal(worker, ProcessTree.SigTerm);
                }
                rendezvous?.TerminateWorkers();
            }
            void Lost(int node)
            {
                error.WriteLine($"error: luma launch: lost node {node}'s launch; ending the job.");
                // mpirun ends every daemon and worker of the job on SIGTERM; once it has exited, its PID may be reused.
                if (!process.HasExited)
                {
                    ProcessTree.Signal(process.Id, ProcessTree.SigTerm);
                }
            }
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Forward);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Forward);
            if (rendezvous is not null)
            {
                rendezvous.NodeLost += Lost;
            }
            process.WaitForExit();
            var exitCode = process.ExitCode;
            rendezvous?.Finish(exitCode);
            if (exitCode != 0)
            {
                error.WriteLine($"error: luma launch: the workers failed (mpirun exit code {exitCode}); the other workers were ended.");
            }
            return exitCode;
        }
    }

    /// <summary>Open MPI refuses root unless told; containers commonly run as root.</summary>
    public static void AllowRoot(ProcessStartInfo start)
    {
        if (Environment.UserName == "root")
        {
            start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
            start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        }
    }

    /// <summary>How to start this very luma again: the apphost, or <c>dotnet luma.dll</c>.</summary>
    public static string[] LumaCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var entry = Assembly.GetEntryAssembly()?.Location ?? "";
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, entry] : [host];
    }
}

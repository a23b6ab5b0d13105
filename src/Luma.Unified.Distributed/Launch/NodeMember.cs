using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Luma.Unified.Distributed.Launch;

/// <summary>
/// The launch of node K &gt; 0 in a multi-node job: joins node 0's <see cref="NodeRendezvous"/>, runs the mpirun
/// daemon command node 0 sends (the daemon then starts this node's workers), and exits with the job's exit code.
/// SIGTERM/SIGINT here, or a TERM from node 0, go to this node's workers so that the job stops at a step boundary;
/// losing node 0 ends this node's daemon and workers.
/// </summary>
public static class NodeMember
{
    public static int Run(int nodeRank, int nodeCount, int processesPerNode, string masterAddress, int masterPort, TimeSpan joinTimeout, TextWriter output, TextWriter error)
    {
        using var channel = Join(nodeRank, nodeCount, processesPerNode, masterAddress, masterPort, joinTimeout);
        output.WriteLine($"luma launch: node {nodeRank} of {nodeCount} joined node 0 at {masterAddress}:{masterPort}; waiting for mpirun's daemon.");
        var daemons = new ConcurrentDictionary<int, Process>();
        void StopWorkers()
        {
            foreach (var daemon in daemons.Values)
            {
                foreach (var orted in ProcessTree.DescendantsNamed(daemon.Id, "orted"))
                {
                    foreach (var worker in ProcessTree.ChildrenOf(orted))
                    {
                        ProcessTree.Signal(worker, ProcessTree.SigTerm);
                    }
                }
            }
        }
        void Forward(PosixSignalContext context)
        {
            context.Cancel = true;
            StopWorkers();
        }
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Forward);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Forward);

        while (channel.Receive() is { } message)
        {
            switch (message)
            {
                case ["RUN", var id, var command]:
                    var daemon = StartDaemon(RendezvousChannel.Decode(command));
                    daemons[daemon.Id] = daemon;
                    daemon.EnableRaisingEvents = true;
                    daemon.Exited += (_, _) =>
                    {
                        channel.TrySend("DONE", id, daemon.ExitCode.ToString(CultureInfo.InvariantCulture));
                        daemons.TryRemove(daemon.Id, out _);
                    };
                    break;
                case ["TERM"]:
                    StopWorkers();
                    break;
                case ["EXIT", var code]:
                    foreach (var remaining in daemons.Values)
                    {
                        remaining.WaitForExit(TimeSpan.FromSeconds(10));
                    }
                    return int.Parse(code, CultureInfo.InvariantCulture);
            }
        }
        foreach (var daemon in daemons.Values)
        {
            daemon.Kill(entireProcessTree: true);
        }
        error.WriteLine($"error: luma launch (node {nodeRank}): lost the connection to node 0 at {masterAddress}:{masterPort} before the job ended; this node's workers were ended.");
        return 1;
    }

    private static RendezvousChannel Join(int nodeRank, int nodeCount, int processesPerNode, string masterAddress, int masterPort, TimeSpan joinTimeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            RendezvousChannel channel;
            try
            {
                channel = RendezvousChannel.Connect(masterAddress, masterPort);
            }
            catch (SocketException e)
            {
                if (clock.Elapsed >= joinTimeout)
                {
                    throw new TimeoutException(
                        $"luma launch (node {nodeRank}): could not reach node 0 at {masterAddress}:{masterPort} within {joinTimeout.TotalSeconds:0} s ({e.Message}); " +
                        "start `luma launch --node-rank 0 ...` on that machine, or check --master-addr and --master-port.");
                }
                Thread.Sleep(500);
                continue;
            }
            channel.TrySend("JOIN", nodeRank.ToString(CultureInfo.InvariantCulture), nodeCount.ToString(CultureInfo.InvariantCulture), processesPerNode.ToString(CultureInfo.InvariantCulture));
            switch (channel.Receive())
            {
                case ["WELCOME"]:
                    return channel;
                case ["REJECT", var reason]:
                    channel.Dispose();
                    throw new InvalidDataException($"luma launch (node {nodeRank}): node 0 refused this node: {RendezvousChannel.Decode(reason)}.");
                default:
                    channel.Dispose();
                    throw new IOException($"luma launch (node {nodeRank}): {masterAddress}:{masterPort} accepted the connection but did not answer as a luma launch of node 0.");
            }
        }
    }

    /// <summary>The daemon command is a remote-shell command line (mpirun quotes its values for a shell), so a shell runs it.</summary>
    private static Process StartDaemon(string command)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        MpirunLauncher.AllowRoot(start);
        return Process.Start(start)!;
    }
}

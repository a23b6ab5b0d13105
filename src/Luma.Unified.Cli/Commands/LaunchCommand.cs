using System.CommandLine;
using Luma.Unified.Distributed.Launch;

namespace Luma.Unified.Cli.Commands;

/// <summary><c>luma launch</c>: starts a node's data-parallel workers (torchrun's options, Open MPI underneath).</summary>
public static class LaunchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var perNode = new Option<int>("--nproc-per-node") { Description = "Workers on this node (one per GPU; on CPU they share the cores).", DefaultValueFactory = _ => 1 };
        var nodes = new Option<int>("--nnodes") { Description = "Nodes in the job; run the same luma launch on each, with its own --node-rank.", DefaultValueFactory = _ => 1 };
        var nodeRank = new Option<int>("--node-rank") { Description = "This node's index, 0 … nnodes−1; node 0 runs mpirun for the whole job.", DefaultValueFactory = _ => 0 };
        var masterAddress = new Option<string>("--master-addr") { Description = "Node 0's address, which the other nodes' launches connect to; passed to the workers as MASTER_ADDR.", DefaultValueFactory = _ => "127.0.0.1" };
        var masterPort = new Option<int>("--master-port") { Description = "The TCP port node 0's launch listens on for the other nodes; passed to the workers as MASTER_PORT.", DefaultValueFactory = _ => 29500 };
        var joinTimeout = new Option<int>("--join-timeout") { Description = "Seconds the nodes wait for each other to start before giving up.", DefaultValueFactory = _ => 600 };
        var worker = new Argument<string[]>("verb") { Description = "After --: the luma verb every worker runs, e.g. -- train --config configs/tiny-text.yaml", Arity = ArgumentArity.OneOrMore };
        var command = new Command("launch", "Start data-parallel workers of a luma verb with torchrun-style RANK/WORLD_SIZE/LOCAL_RANK (through Open MPI's mpirun), on one node or — run once per node with --nnodes/--node-rank — on several; exits non-zero when any worker fails, ending the others.");
        command.Options.Add(perNode);
        command.Options.Add(nodes);
        command.Options.Add(nodeRank);
        command.Options.Add(masterAddress);
        command.Options.Add(masterPort);
        command.Options.Add(joinTimeout);
        command.Arguments.Add(worker);
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var processes = parse.GetValue(perNode);
            if (processes < 1)
            {
                throw new UsageException($"--nproc-per-node {processes}: need at least 1 worker.");
            }
            var (nodeCount, rank) = (parse.GetValue(nodes), parse.GetValue(nodeRank));
            if (nodeCount < 1 || rank < 0 || rank >= nodeCount)
            {
                throw new UsageException($"--nnodes {nodeCount} --node-rank {rank}: need at least 1 node and a node rank in 0..nnodes−1.");
            }
            var port = parse.GetValue(masterPort);
            if (port is < 1 or > 65535)
            {
                throw new UsageException($"--master-port {port}: not a TCP port (1..65535).");
            }
            var timeout = parse.GetValue(joinTimeout);
            if (timeout < 1)
            {
                throw new UsageException($"--join-timeout {timeout}: need at least 1 second.");
            }
            var address = parse.GetValue(masterAddress)!;
            if (nodeCount == 1)
            {
                return MpirunLauncher.Run(processes, address, port, parse.GetValue(worker)!, error);
            }
            if (rank > 0)
            {
                return NodeMember.Run(rank, nodeCount, processes, address, port, TimeSpan.FromSeconds(timeout), output, error);
            }
            if (RemoteShellAgent.Command(port).FirstOrDefault(word => word.Contains(' ') || word.Contains(':')) is { } awkward)
            {
                // mpirun splits its remote-shell agent setting at spaces and colons.
                throw new UsageException($"luma is installed at '{awkward}', a path with a space or a colon, which mpirun cannot run as its remote-shell agent; install it under a plain path for multi-node launches.");
            }
            output.WriteLine($"luma launch: node 0 of {nodeCount} waiting on port {port} for the other nodes (up to {timeout} s).");
            using var rendezvous = NodeRendezvous.Gather(port, nodeCount, processes, TimeSpan.FromSeconds(timeout), output);
            return MpirunLauncher.Run(processes, address, port, parse.GetValue(worker)!, error, rendezvous);
        }));
        return command;
    }
}

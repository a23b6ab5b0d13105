using System.CommandLine;
using Luma.Unified.Distributed.Launch;

namespace Luma.Unified.Cli.Commands;

/// <summary><c>luma launch</c>: starts a node's data-parallel workers (torchrun's options, Open MPI underneath).</summary>
public static class LaunchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var perNode = new Option<int>("--nproc-per-node") { Description = "Workers on this node (one per GPU; on CPU they share the cores).", DefaultValueFactory = _ => 1 };
        var nodes = new Option<int>("--nnodes") { Description = "Nodes in the job; more than 1 is started by srun or mpirun instead (docs/distributed.md).", DefaultValueFactory = _ => 1 };
        var nodeRank = new Option<int>("--node-rank") { Description = "This node's index (0 for a single node).", DefaultValueFactory = _ => 0 };
        var masterAddress = new Option<string>("--master-addr") { Description = "Passed to the workers as MASTER_ADDR.", DefaultValueFactory = _ => "127.0.0.1" };
        var masterPort = new Option<int>("--master-port") { Description = "Passed to the workers as MASTER_PORT.", DefaultValueFactory = _ => 29500 };
        var worker = new Argument<string[]>("verb") { Description = "After --: the luma verb every worker runs, e.g. -- train --config configs/tiny-text.yaml", Arity = ArgumentArity.OneOrMore };
        var command = new Command("launch", "Start data-parallel workers of a luma verb with torchrun-style RANK/WORLD_SIZE/LOCAL_RANK (through Open MPI's mpirun); exits non-zero when any worker fails, ending the others.");
        command.Options.Add(perNode);
        command.Options.Add(nodes);
        command.Options.Add(nodeRank);
        command.Options.Add(masterAddress);
        command.Options.Add(masterPort);
        command.Arguments.Add(worker);
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var processes = parse.GetValue(perNode);
            if (processes < 1)
            {
                throw new UsageException($"--nproc-per-node {processes}: need at least 1 worker.");
            }
            if (parse.GetValue(nodes) != 1 || parse.GetValue(nodeRank) != 0)
            {
                throw new UsageException(
                    $"--nnodes {parse.GetValue(nodes)} --node-rank {parse.GetValue(nodeRank)}: luma launch starts the workers of one node. For several nodes start `luma train` " +
                    "with srun (Slurm: srun --mpi=pmix luma train ...) or with mpirun and a hostfile (mpirun -np 16 --hostfile hosts luma train ...); docs/distributed.md shows both.");
            }
            var port = parse.GetValue(masterPort);
            if (port is < 1 or > 65535)
            {
                throw new UsageException($"--master-port {port}: not a TCP port (1..65535).");
            }
            return MpirunLauncher.Run(processes, parse.GetValue(masterAddress)!, port, parse.GetValue(worker)!, error);
        }));
        return command;
    }
}

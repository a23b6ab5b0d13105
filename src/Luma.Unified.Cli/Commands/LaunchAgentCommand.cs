using System.CommandLine;
using Luma.Unified.Distributed.Launch;

namespace Luma.Unified.Cli.Commands;

/// <summary><c>luma launch-agent</c> (hidden): mpirun's stand-in for ssh inside a multi-node <c>luma launch</c>.</summary>
public static class LaunchAgentCommand
{
    public static Command Create(TextWriter error)
    {
        var port = new Option<int>("--port") { Description = "Node 0's rendezvous port.", Required = true };
        var remote = new Argument<string[]>("host-and-command") { Description = "After --: the node name and the daemon command, as mpirun passes them to ssh.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("launch-agent", "mpirun's remote-shell agent inside a multi-node luma launch.") { Hidden = true };
        command.Options.Add(port);
        command.Arguments.Add(remote);
        command.SetAction(parse =>
        {
            var words = parse.GetValue(remote)!;
            return RemoteShellAgent.Run(parse.GetValue(port), words[0], words[1..], error);
        });
        return command;
    }
}

using System.CommandLine;
using System.CommandLine.Help;
using Luma.Unified.Cli.Commands;

namespace Luma.Unified.Cli;

/// <summary>The luma command tree; <see cref="Run"/> is the whole program, callable in-process by tests.</summary>
public static class LumaCli
{
    /// <summary>Parses <paramref name="args"/>, runs the verb, returns the exit code (0 ok, 1 failure, 2 usage/config error).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("luma — train and sample unified multimodal transformers.");
        root.Subcommands.Add(EnvCommand.Create(output, error));
        root.Subcommands.Add(ConfigCommand.Create(output, error));
        root.Subcommands.Add(TrainCommand.Create(output, error));
        root.Subcommands.Add(SampleCommand.Create(output, error));
        root.Subcommands.Add(EvalCommand.Create(output, error));
        root.Subcommands.Add(PlotCommand.Create(output, error));
        root.Subcommands.Add(DataCommand.Create(output, error));
        root.Subcommands.Add(TokenizerCommand.Create(output, error));
        root.Subcommands.Add(CodecCommand.Create(output, error));
        root.Subcommands.Add(BenchCommand.Create(output, error));
        root.Subcommands.Add(WeightsCommand.Create(output, error));
        root.Subcommands.Add(LaunchCommand.Create(output, error));
        root.Subcommands.Add(LaunchAgentCommand.Create(error));
        root.Subcommands.Add(CollectivesBenchCommand.Create(output, error));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var problem in parse.Errors)
            {
                error.WriteLine($"error: {problem.Message}");
            }
            error.WriteLine("Run 'luma --help' (or 'luma VERB --help') for usage.");
            return ExitCodes.UsageError;
        }
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}

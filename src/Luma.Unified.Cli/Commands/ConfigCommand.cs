using System.CommandLine;

namespace Luma.Unified.Cli.Commands;

/// <summary><c>luma config show</c>: the fully resolved configuration, defaults and overrides applied.</summary>
public static class ConfigCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var arguments = new ConfigArguments();
        var show = new Command("show", "Print the fully resolved config (defaults, file and --set overrides) as YAML.");
        arguments.AddTo(show);
        show.SetAction(parse => CommandGuard.Run(error, () =>
        {
            output.Write(arguments.Load(parse).ToYaml());
            return ExitCodes.Success;
        }));
        var command = new Command("config", "Inspect configurations.");
        command.Subcommands.Add(show);
        return command;
    }
}

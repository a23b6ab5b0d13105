using System.CommandLine;
using Luma.Unified.Config;

namespace Luma.Unified.Cli.Commands;

/// <summary>The <c>--config FILE</c> and repeatable <c>--set key=value</c> options shared by the verbs that read a config.</summary>
public sealed class ConfigArguments
{
    public Option<string> ConfigFile { get; } = new("--config", "-c")
    {
        Description = "YAML config file (see configs/).",
        Required = true,
    };

    public Option<string[]> Overrides { get; } = new("--set")
    {
        Description = "Override one config value with a dotted key, e.g. --set model.layers=4 (repeatable).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(ConfigFile);
        command.Options.Add(Overrides);
    }

    /// <summary>Loads and validates the config the parsed command line names.</summary>
    public LoadedConfig Load(ParseResult parse) =>
        ConfigLoader.Load(parse.GetValue(ConfigFile), parse.GetValue(Overrides) ?? []);
}

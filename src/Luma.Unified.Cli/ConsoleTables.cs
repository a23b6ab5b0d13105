using Spectre.Console;

namespace Luma.Unified.Cli;

/// <summary>Where verbs draw their tables.</summary>
public static class ConsoleTables
{
    /// <summary>
    /// A console over the command's output writer at a fixed width, so redirected output is not cut to 80 columns.
    /// </summary>
    public static IAnsiConsole Over(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No });
        console.Profile.Width = 120;
        return console;
    }
}

namespace Luma.Unified.Config;

/// <summary>
/// A configuration the run cannot use. The message names where the value came from (file and line, or
/// the --set override), the dotted key, the bad value and what is expected. The CLI maps it to exit code 2.
/// </summary>
public sealed class ConfigException(string message) : Exception(message)
{
    /// <summary>Builds the standard message: "SOURCE: KEY = VALUE: PROBLEM".</summary>
    public static ConfigException At(string source, string key, string? value, string problem) =>
        new(value is null ? $"{source}: {key}: {problem}" : $"{source}: {key} = {Quote(value)}: {problem}");

    private static string Quote(string value) => $"'{value}'";
}

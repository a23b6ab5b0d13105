namespace Luma.Unified.Abstractions;

/// <summary>
/// The version of the plugin seams in this assembly. It is also this assembly's major version: a plugin built
/// against another major version is refused with a message that names both.
/// </summary>
public static class PluginApi
{
    /// <summary>The current plugin API version.</summary>
    public const int Version = 1;
}

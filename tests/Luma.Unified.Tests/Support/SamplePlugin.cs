namespace Luma.Unified.Tests.Support;

/// <summary>The sample plugin assembly (tests/Luma.Unified.SamplePlugin), built in the same configuration as the tests.</summary>
public static class SamplePlugin
{
    /// <summary>Full path of Luma.Unified.SamplePlugin.dll.</summary>
    public static string AssemblyPath { get; } = Locate();

    private static string Locate()
    {
        // The tests run from tests/Luma.Unified.Tests/bin/CONFIGURATION/net10.0/.
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var path = Path.Combine(Repo.Root, "tests", "Luma.Unified.SamplePlugin", "bin", configuration, framework.Name, "Luma.Unified.SamplePlugin.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"the sample plugin is not built at {path}");
    }
}

namespace Luma.Unified.Tests.Support;

/// <summary>Paths inside the repository the tests run from.</summary>
public static class Repo
{
    /// <summary>The directory holding Luma.Unified.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A file under configs/.</summary>
    public static string Config(string name) => Path.Combine(Root, "configs", name);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Luma.Unified.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No Luma.Unified.sln above {AppContext.BaseDirectory}.");
    }
}

using System.Diagnostics;
using System.Security.Cryptography;

namespace Luma.Unified.Tests.Support;

/// <summary>What a luma child process did with a hostile input: exit code, output and its peak resident memory.</summary>
public sealed record HostileOutcome(int ExitCode, string Output, string Error, long PeakRssBytes)
{
    public long PeakRssMiB => PeakRssBytes / (1024 * 1024);
}

/// <summary>
/// Runs luma as a child process under GNU time, which reports the child's peak resident set size
/// (getrusage's ru_maxrss) however briefly the peak lasted; polling /proc could miss a spike just before exit.
/// scripts/setup installs GNU time.
/// </summary>
public static class HostileRun
{
    /// <summary>An upper bound for a luma process that refuses an input: the runtime, TorchSharp and libtorch loaded, no model.</summary>
    public const long RefusalBudgetBytes = 900L * 1024 * 1024;

    /// <summary>Runs luma with <paramref name="args"/> in <paramref name="workingDirectory"/>; kills it after <paramref name="limit"/>.</summary>
    public static HostileOutcome Luma(string workingDirectory, TimeSpan limit, params string[] args)
    {
        var report = Path.Combine(Path.GetTempPath(), $"luma-rss-{Guid.NewGuid():N}.txt");
        var start = new ProcessStartInfo("/usr/bin/time")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[] { "-f", "%M", "-o", report, "dotnet", Path.Combine(AppContext.BaseDirectory, "luma.dll") }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"luma {string.Join(' ', args)} hung: no exit within {limit.TotalSeconds:0} s.\n{error.Result}");
        }
        var kib = File.Exists(report) ? long.Parse(File.ReadAllText(report).Trim().Split('\n')[^1]) : -1;
        File.Delete(report);
        return new HostileOutcome(process.ExitCode, output.Result, error.Result, kib * 1024);
    }
}

/// <summary>
/// A fingerprint of every file and folder under a root (path, size, content hash), to show that a hostile
/// input changed nothing outside the folder a command may write to.
/// </summary>
public sealed class TreeSnapshot
{
    private readonly SortedDictionary<string, string> _entries;

    private TreeSnapshot(SortedDictionary<string, string> entries) => _entries = entries;

    public static TreeSnapshot Of(string root)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, entry.FullName);
            entries[relative] = entry switch
            {
                FileInfo { LinkTarget: null } file => $"{file.Length}:{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file.FullName)))}",
                { LinkTarget: { } target } => $"link:{target}",
                _ => "dir",
            };
        }
        return new TreeSnapshot(entries);
    }

    /// <summary>Paths added, removed or changed between this snapshot and <paramref name="later"/>.</summary>
    public IReadOnlyList<string> ChangesTo(TreeSnapshot later) =>
        _entries.Keys.Union(later._entries.Keys)
            .Where(path => !_entries.TryGetValue(path, out var before) || !later._entries.TryGetValue(path, out var after) || before != after)
            .Order(StringComparer.Ordinal)
            .ToList();
}

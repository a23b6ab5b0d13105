using System.Globalization;
using System.Runtime.InteropServices;

namespace Luma.Unified.Distributed.Launch;

/// <summary>Parent/child relations from <c>/proc</c>, and signals: how a launch reaches the workers its mpirun or orted started.</summary>
public static partial class ProcessTree
{
    public const int SigTerm = 15;

    /// <summary>The processes whose parent is <paramref name="parent"/>.</summary>
    public static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var (pid, parentPid, _) in Processes())
        {
            if (parentPid == parent)
            {
                yield return pid;
            }
        }
    }

    /// <summary>The processes below <paramref name="root"/> named <paramref name="command"/> (as <c>/proc/PID/comm</c> has it).</summary>
    public static IEnumerable<int> DescendantsNamed(int root, string command)
    {
        var all = Processes().ToList();
        var below = new HashSet<int> { root };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, parent, _) in all)
            {
                grew |= below.Contains(parent) && below.Add(pid);
            }
        }
        return all.Where(p => p.Pid != root && below.Contains(p.Pid) && p.Command == command).Select(p => p.Pid);
    }

    /// <summary>Sends <paramref name="signal"/>; a process that has already gone is not an error.</summary>
    public static void Signal(int pid, int signal) => _ = kill(pid, signal);

    private static IEnumerable<(int Pid, int Parent, string Command)> Processes()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are read after the last ')'.
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            if (open >= 0 && fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
            {
                yield return (pid, parent, stat[(open + 1)..close]);
            }
        }
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}

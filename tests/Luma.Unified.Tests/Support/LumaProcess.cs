using System.Diagnostics;
using Luma.Unified.Cli;

namespace Luma.Unified.Tests.Support;

/// <summary>What a luma invocation printed and returned.</summary>
public sealed record LumaOutcome(int ExitCode, string Output, string Error);

/// <summary>Runs the luma CLI in this process (fast) or as a child process (a real, fresh start).</summary>
public static class LumaProcess
{
    /// <summary>Runs <see cref="LumaCli.Run"/> with captured output.</summary>
    public static LumaOutcome InProcess(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = LumaCli.Run(args, output, error);
        return new LumaOutcome(code, output.ToString(), error.ToString());
    }

    /// <summary>Starts the built luma next to the tests as a new process, its output redirected.</summary>
    public static Process Start(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "luma.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start)!;
    }

    /// <summary>Starts the built luma next to the tests as a new process and waits for it.</summary>
    public static LumaOutcome Child(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"luma {string.Join(' ', args)} did not finish in 3 minutes.");
        }
        return new LumaOutcome(process.ExitCode, output.Result, error.Result);
    }
}

using Luma.Unified.Config;
using Luma.Unified.Runtime.Native;
using Luma.Unified.Training.Guards;

namespace Luma.Unified.Cli;

/// <summary>
/// Runs a verb and turns failures into a one-paragraph message and an exit code: config and usage problems
/// are 2, everything else 1. Stack traces are for developers: set LUMA_DEBUG=1 to see them.
/// </summary>
public static class CommandGuard
{
    /// <summary>Runs <paramref name="verb"/>; returns its exit code or the code of the failure.</summary>
    public static int Run(TextWriter error, Func<int> verb)
    {
        try
        {
            return verb();
        }
        catch (ConfigException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.UsageError;
        }
        catch (UsageException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.UsageError;
        }
        catch (Exception e) when (e is TrainingHaltedException or NativeRuntimeException or TimeoutException or IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or KeyNotFoundException)
        {
            error.WriteLine($"error: {e.Message}");
            WriteTraceIfDebugging(error, e);
            return ExitCodes.RuntimeFailure;
        }
        catch (Exception e)
        {
            error.WriteLine($"error: unexpected {e.GetType().Name}: {e.Message} (set LUMA_DEBUG=1 for the stack trace)");
            WriteTraceIfDebugging(error, e);
            return ExitCodes.RuntimeFailure;
        }
    }

    private static void WriteTraceIfDebugging(TextWriter error, Exception e)
    {
        if (Environment.GetEnvironmentVariable("LUMA_DEBUG") is "1" or "true")
        {
            error.WriteLine(e);
        }
    }
}

/// <summary>A command-line argument that parses but makes no sense (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);

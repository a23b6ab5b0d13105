namespace Luma.Unified.Cli;

/// <summary>Process exit codes of every luma verb.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Something failed while running (I/O, native runtime, numerics).</summary>
    public const int RuntimeFailure = 1;

    /// <summary>The command line or the configuration is wrong; nothing was run.</summary>
    public const int UsageError = 2;
}

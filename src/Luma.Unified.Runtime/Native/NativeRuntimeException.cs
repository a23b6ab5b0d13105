namespace Luma.Unified.Runtime.Native;

/// <summary>libtorch could not be loaded; the message says which file, why, and what to do.</summary>
public sealed class NativeRuntimeException(string message) : Exception(message);

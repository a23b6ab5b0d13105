namespace Luma.Unified.Training.Guards;

/// <summary>The run stopped on purpose because a numerical guard tripped; the message says where and why.</summary>
public sealed class TrainingHaltedException(string message) : Exception(message);

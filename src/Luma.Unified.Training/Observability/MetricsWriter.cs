using System.Text.Json;
using System.Text.Json.Serialization;

namespace Luma.Unified.Training.Observability;

/// <summary>Appends one JSON object per logged step to <c>metrics.jsonl</c>, flushed at once so a crash loses nothing logged.</summary>
public sealed class MetricsWriter : IDisposable
{
    private readonly StreamWriter _writer;

    public MetricsWriter(string path)
    {
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    // A skipped step's gradient norm is NaN or infinite; JSON has no such numbers, so they are written as the
    // strings "NaN" / "Infinity" (which float() parses) instead of failing the run.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Writes <paramref name="record"/> (keys in snake_case as given) as one line.</summary>
    public void Write(IReadOnlyDictionary<string, object> record) => _writer.WriteLine(JsonSerializer.Serialize(record, Json));

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();
}

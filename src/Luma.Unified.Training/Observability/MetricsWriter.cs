using System.Text.Json;

namespace Luma.Unified.Training.Observability;

/// <summary>Appends one JSON object per logged step to <c>metrics.jsonl</c>, flushed at once so a crash loses nothing logged.</summary>
public sealed class MetricsWriter : IDisposable
{
    private readonly StreamWriter _writer;

    public MetricsWriter(string path)
    {
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    /// <summary>Writes <paramref name="record"/> (keys in snake_case as given) as one line.</summary>
    public void Write(IReadOnlyDictionary<string, object> record) => _writer.WriteLine(JsonSerializer.Serialize(record));

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();
}

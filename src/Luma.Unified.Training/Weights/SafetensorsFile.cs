using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Weights;

/// <summary>One tensor's entry in a safetensors header.</summary>
/// <param name="Dtype">Safetensors dtype name (<c>F32</c>, <c>BF16</c>, ...).</param>
/// <param name="Shape">Dimensions.</param>
public sealed record SafetensorsEntry(string Dtype, IReadOnlyList<long> Shape);

/// <summary>
/// Safetensors files with string metadata in the header's <c>__metadata__</c> (what PyTorch's
/// <c>safe_open(...).metadata()</c> returns). TorchSharp.PyBridge writes and reads the tensors but not the metadata,
/// so the header it writes is re-emitted with <c>__metadata__</c> added (tensor offsets are relative to the data,
/// which is copied unchanged) and padded with spaces to 8 bytes, as the format recommends.
/// </summary>
public static class SafetensorsFile
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> (in order) and <paramref name="metadata"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var raw = full + $".tmp-tensors-{Environment.ProcessId}";
        var temporary = full + $".tmp-{Environment.ProcessId}";
        try
        {
            using (var stream = File.Create(raw))
            {
                Safetensors.SaveStateDict(stream, tensors.ToDictionary(), leaveOpen: true);
            }
            using (var source = File.OpenRead(raw))
            using (var target = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                var header = ReadHeaderJson(source, raw);
                var withMetadata = new JsonObject { [MetadataKey] = new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value)))) };
                foreach (var (name, entry) in header)
                {
                    withMetadata[name] = entry?.DeepClone();
                }
                var json = Encoding.UTF8.GetBytes(withMetadata.ToJsonString());
                var padded = (json.Length + 7) / 8 * 8;
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
                target.Write(length);
                target.Write(json);
                target.Write(Enumerable.Repeat((byte)' ', padded - json.Length).ToArray());
                source.CopyTo(target);
                target.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(raw);
            File.Delete(temporary);
        }
    }

    /// <summary>The metadata and the tensor entries (by name, in file order) of <paramref name="path"/>; a file that is not safetensors is refused by name.</summary>
    public static (IReadOnlyDictionary<string, string> Metadata, IReadOnlyDictionary<string, SafetensorsEntry> Tensors) ReadHeader(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.");
        }
        using var stream = File.OpenRead(path);
        var header = ReadHeaderJson(stream, path);
        var metadata = new Dictionary<string, string>();
        var tensors = new Dictionary<string, SafetensorsEntry>();
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == MetadataKey)
                {
                    foreach (var (key, value) in node!.AsObject())
                    {
                        metadata[key] = value!.GetValue<string>();
                    }
                    continue;
                }
                tensors[name] = new SafetensorsEntry(node!["dtype"]!.GetValue<string>(), [.. node["shape"]!.AsArray().Select(d => d!.GetValue<long>())]);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new InvalidDataException($"{path}: the safetensors header is malformed ({e.Message}).");
        }
        return (metadata, tensors);
    }

    /// <summary>Every tensor of <paramref name="path"/>, on the CPU, by name.</summary>
    public static Dictionary<string, Tensor> ReadTensors(string path) => Safetensors.LoadStateDict(path);

    private static JsonObject ReadHeaderJson(Stream stream, string path)
    {
        Span<byte> length = stackalloc byte[8];
        if (stream.ReadAtLeast(length, 8, throwOnEndOfStream: false) < 8)
        {
            throw new InvalidDataException($"{path} is not a safetensors file: it is shorter than the 8-byte header length.");
        }
        var size = BinaryPrimitives.ReadUInt64LittleEndian(length);
        if (size > (ulong)Math.Min(stream.Length - 8, 100_000_000))
        {
            throw new InvalidDataException($"{path} is not a safetensors file: its header length {size} does not fit the file ({stream.Length} bytes).");
        }
        var json = new byte[size];
        stream.ReadExactly(json);
        try
        {
            return JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException($"{path}: the safetensors header is empty.");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path} is not a safetensors file: its header is not a JSON object ({e.Message}).");
        }
    }
}

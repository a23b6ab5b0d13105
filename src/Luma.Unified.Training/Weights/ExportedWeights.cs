namespace Luma.Unified.Training.Weights;

/// <summary>The header of a file written by <c>luma weights export</c>: what it holds, its metadata and its tensor entries.</summary>
public sealed record ExportedWeights(string File, string Kind, IReadOnlyDictionary<string, string> Metadata, IReadOnlyDictionary<string, SafetensorsEntry> Tensors)
{
    /// <summary>Reads <paramref name="file"/>'s header; a missing file, a non-safetensors file or one without Luma metadata is refused by name.</summary>
    public static ExportedWeights Read(string file)
    {
        var (metadata, tensors) = SafetensorsFile.ReadHeader(file);
        if (metadata.GetValueOrDefault(WeightsMetadata.Format) != WeightsMetadata.FormatVersion)
        {
            throw new InvalidDataException(
                $"{file} is a safetensors file without Luma export metadata (__metadata__.{WeightsMetadata.Format} = {WeightsMetadata.FormatVersion}); only files written by `luma weights export` can be imported, because the metadata says how to rebuild the model.");
        }
        return new ExportedWeights(file, metadata.GetValueOrDefault(WeightsMetadata.Kind) ?? "", metadata, tensors);
    }

    /// <summary>The metadata value of <paramref name="key"/>; its absence is an error naming the file.</summary>
    public string Require(string key) => Metadata.TryGetValue(key, out var value)
        ? value
        : throw new InvalidDataException($"{File}: the metadata has no '{key}', which a {Kind} import needs.");
}

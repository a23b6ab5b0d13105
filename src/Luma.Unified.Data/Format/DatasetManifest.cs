using System.Text.Json;
using System.Text.Json.Serialization;

namespace Luma.Unified.Data.Format;

/// <summary>One Parquet shard as the manifest records it.</summary>
/// <param name="File">File name inside the dataset directory.</param>
/// <param name="Rows">Documents in the shard.</param>
/// <param name="RowGroups">Parquet row groups (the unit a loader reads and ranks split).</param>
/// <param name="Bytes">File size.</param>
/// <param name="Sha256">Hex SHA-256 of the file.</param>
public sealed record ShardInfo(string File, long Rows, int RowGroups, long Bytes, string Sha256);

/// <summary>How much of one modality a dataset holds.</summary>
/// <param name="Documents">Documents with at least one segment of it.</param>
/// <param name="Segments">Segments of it.</param>
/// <param name="Bytes">Payload bytes (UTF-8 text or encoded media).</param>
public sealed record ModalityStats(long Documents, long Segments, long Bytes);

/// <summary>
/// <c>manifest.json</c> of a dataset directory: format version, shards with row counts, sizes and
/// checksums, and per-modality statistics. Written last and atomically, so a directory with a manifest is
/// a complete dataset.
/// </summary>
public sealed record DatasetManifest(
    string Format,
    int FormatVersion,
    DateTimeOffset Created,
    string CreatedBy,
    long Documents,
    IReadOnlyList<ShardInfo> Shards,
    IReadOnlyDictionary<string, ModalityStats> Modalities)
{
    /// <summary>The value of <see cref="Format"/> for this format.</summary>
    public const string FormatName = "luma-dataset";

    /// <summary>The format version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The manifest's file name inside a dataset directory.</summary>
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Writes the manifest into <paramref name="directory"/> through a temporary file and a rename.</summary>
    public void Save(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, s_json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads and checks <c>manifest.json</c> of <paramref name="directory"/>; errors name the file and what is wrong.</summary>
    public static DatasetManifest Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{directory} is not a Luma dataset: {FileName} is missing (build one with `luma data synth` or `luma data pack`).", path);
        }
        DatasetManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<DatasetManifest>(File.ReadAllText(path), s_json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid manifest: {e.Message}", e);
        }
        if (manifest is null || manifest.Format != FormatName)
        {
            throw new InvalidDataException($"{path}: 'format' must be '{FormatName}'.");
        }
        if (manifest.FormatVersion != CurrentVersion)
        {
            throw new InvalidDataException($"{path}: format_version {manifest.FormatVersion} is not supported (this build reads version {CurrentVersion}).");
        }
        return manifest;
    }
}

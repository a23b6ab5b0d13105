using System.Globalization;
using Luma.Unified.Abstractions;
using Luma.Unified.Data.Format;
using Parquet;
using Parquet.Serialization;

namespace Luma.Unified.Data.Building;

/// <summary>
/// Packs Parquet files laid out the way Hugging Face <c>datasets</c> writes them: one row per example, media
/// columns as structs of <c>{bytes, path}</c> (its Image and Audio features), text as string columns. Each row
/// becomes a document whose segments are the chosen columns in the chosen order; a null cell adds no segment.
/// A media struct with no bytes is read from its path, relative to the Parquet file.
/// </summary>
public static class HfParquetPacker
{
    /// <summary>Packs <paramref name="files"/> into <paramref name="outDirectory"/>.</summary>
    /// <param name="files">Parquet files, read in order.</param>
    /// <param name="columns">Columns that become segments, in order; empty = every column but the id column, in file order.</param>
    /// <param name="idColumn">Column holding document ids; when absent the id is <c>FILE/ROW</c>.</param>
    public static Task<DatasetManifest> PackAsync(
        IReadOnlyList<string> files, IReadOnlyList<string> columns, string idColumn, string outDirectory,
        long shardBytes, int rowGroupRows, int workers, IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"{file}: Parquet file not found.");
            }
        }
        return DatasetPacker.PackAsync(Items(files, columns, idColumn), outDirectory, shardBytes, rowGroupRows, workers,
            $"luma data pack --hf {string.Join(' ', files.Select(Path.GetFileName))}", progress, cancel);
    }

    private static IEnumerable<PackItem> Items(IReadOnlyList<string> files, IReadOnlyList<string> columns, string idColumn)
    {
        foreach (var file in files)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
            var stem = Path.GetFileNameWithoutExtension(file);
            var (groups, names) = Describe(file);
            var chosen = columns.Count > 0 ? columns : [.. names.Where(n => n != idColumn)];
            var missing = chosen.Where(c => !names.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidDataException($"{file}: no column {string.Join(", ", missing.Select(m => $"'{m}'"))} (it has {string.Join(", ", names)}).");
            }
            long row = 0;
            for (var group = 0; group < groups; group++)
            {
                IList<Dictionary<string, object>> rows;
                using (var stream = File.OpenRead(file))
                {
                    rows = ParquetSerializer.DeserializeUntypedAsync(stream, new ParquetOptions(), group).GetAwaiter().GetResult().Data;
                }
                foreach (var values in rows)
                {
                    var (location, index) = ($"{file} row {row}", row++);
                    yield return new PackItem(location, () => Document(values, chosen, idColumn, $"{stem}/{index}", directory));
                }
            }
        }
    }

    private static (int RowGroups, IReadOnlyList<string> Columns) Describe(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
            var result = (reader.RowGroupCount, (IReadOnlyList<string>)[.. reader.Schema.Fields.Select(f => f.Name)]);
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return result;
        }
        catch (Exception e) when (e is not FileNotFoundException and not UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{file}: not a readable Parquet file: {e.Message}", e);
        }
    }

    private static DocumentRecord Document(Dictionary<string, object> values, IReadOnlyList<string> columns, string idColumn, string fallbackId, string directory)
    {
        var id = values.TryGetValue(idColumn, out var idValue) && idValue is not null
            ? Convert.ToString(idValue, CultureInfo.InvariantCulture)!
            : fallbackId;
        var document = new DocumentRecord { Id = id };
        foreach (var column in columns)
        {
            if (!values.TryGetValue(column, out var value) || value is null)
            {
                continue;
            }
            document.Segments.Add(value switch
            {
                string text => Segments.OfText(text),
                IDictionary<string, object> media => Media(media, column, directory),
                _ => throw new InvalidDataException($"column '{column}' holds {value.GetType().Name}; only text columns and {{bytes, path}} media structs can be packed"),
            });
        }
        if (document.Segments.Count == 0)
        {
            throw new InvalidDataException($"document '{id}' has no non-null value in the chosen columns ({string.Join(", ", columns)})");
        }
        return document;
    }

    private static SegmentRecord Media(IDictionary<string, object> media, string column, string directory)
    {
        var path = media.TryGetValue("path", out var p) ? p as string : null;
        var name = $"column '{column}'{(path is null ? "" : $" ({path})")}";
        if (media.TryGetValue("bytes", out var b) && b is byte[] { Length: > 0 } bytes)
        {
            return MediaSegments.Sniff(bytes, name);
        }
        if (path is null)
        {
            throw new InvalidDataException($"{name}: the struct has neither bytes nor a path");
        }
        var file = Path.GetFullPath(Path.Combine(directory, path));
        return File.Exists(file)
            ? MediaSegments.Sniff(File.ReadAllBytes(file), name)
            : throw new InvalidDataException($"{name}: no bytes, and the file {file} does not exist");
    }
}

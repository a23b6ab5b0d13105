using System.CommandLine;
using System.Globalization;
using Luma.Unified.Data.Building;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Synthesis;
using Spectre.Console;

namespace Luma.Unified.Cli.Commands;

/// <summary><c>luma data synth|verify|inspect</c>: build and check sharded multimodal datasets.</summary>
public static class DataCommand
{
    private const long Megabyte = 1024 * 1024;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("data", "Build, verify and inspect sharded multimodal datasets (Parquet).");
        command.Subcommands.Add(Synth(output, error));
        command.Subcommands.Add(Pack(output, error));
        command.Subcommands.Add(Verify(output, error));
        command.Subcommands.Add(Inspect(output, error));
        command.Subcommands.Add(Bench(output, error));
        command.Subcommands.Add(Encode(output, error));
        return command;
    }

    private static Command Synth(TextWriter output, TextWriter error)
    {
        var outDirectory = new Option<string>("--out", "-o") { Description = "Directory to create the dataset in (must not hold one already).", Required = true };
        var documents = new Option<long>("--documents", "-n") { Description = "Documents to generate.", DefaultValueFactory = _ => 2000 };
        var seed = new Option<long>("--seed") { Description = "Seed; the same seed gives the same dataset.", DefaultValueFactory = _ => 0 };
        var imageSize = new Option<int>("--image-size") { Description = "Side of the square images in pixels.", DefaultValueFactory = _ => 64 };
        var shardMb = new Option<double>("--shard-mb") { Description = "Target shard size in MiB.", DefaultValueFactory = _ => 64 };
        var rowGroup = new Option<int>("--row-group") { Description = "Documents per Parquet row group (the unit ranks split and loaders read).", DefaultValueFactory = _ => 256 };
        var mix = new Option<string>("--mix") { Description = "Relative weights of the document kinds, e.g. image=3,audio=1,video=1,interleaved=1 (unnamed kinds: 0).", DefaultValueFactory = _ => "image=0.4,audio=0.2,video=0.2,interleaved=0.2" };
        var command = new Command("synth", "Generate the shapes world: captioned images, tones and moving-shape videos, and interleaved documents.");
        foreach (var option in new Option[] { outDirectory, documents, seed, imageSize, shardMb, rowGroup, mix })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var count = parse.GetValue(documents);
            var size = parse.GetValue(imageSize);
            var (shardBytes, rows) = ((long)(parse.GetValue(shardMb) * Megabyte), parse.GetValue(rowGroup));
            Require(count >= 1, "--documents must be at least 1");
            Require(size is >= 16 and <= 1024, "--image-size must be between 16 and 1024");
            Require(shardBytes >= 1 && rows >= 1, "--shard-mb and --row-group must be positive");
            var directory = parse.GetValue(outDirectory)!;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var manifest = ConsoleProgress.RunAsync("synth", count, error, progress =>
                ShapesWorldBuilder.BuildAsync(directory, count, parse.GetValue(seed), WithMix(new ShapesWorldOptions { ImageSize = size }, parse.GetValue(mix)!), shardBytes, rows, progress))
                .GetAwaiter().GetResult();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {manifest.Documents} documents in {manifest.Shards.Count} shard(s), {manifest.Shards.Sum(s => s.Bytes) / (double)Megabyte:0.0} MiB, to {directory} in {clock.Elapsed.TotalSeconds:0.0} s"));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static ShapesWorldOptions WithMix(ShapesWorldOptions options, string mix)
    {
        var weights = new Dictionary<string, double>();
        foreach (var entry in mix.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            Require(parts.Length == 2 && ShapesWorldOptions.Kinds.Contains(parts[0]), $"--mix entry '{entry}': expected KIND=WEIGHT with KIND one of {string.Join(", ", ShapesWorldOptions.Kinds)}");
            Require(double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) && weight >= 0, $"--mix entry '{entry}': the weight must be a number ≥ 0");
            weights[parts[0]] = weight;
        }
        Require(weights.Values.Sum() > 0, "--mix needs at least one positive weight");
        return options with
        {
            ImageWeight = weights.GetValueOrDefault("image"),
            AudioWeight = weights.GetValueOrDefault("audio"),
            VideoWeight = weights.GetValueOrDefault("video"),
            InterleavedWeight = weights.GetValueOrDefault("interleaved"),
        };
    }

    private static Command Pack(TextWriter output, TextWriter error)
    {
        var jsonl = new Option<string?>("--jsonl") { Description = "JSONL manifest: one {\"id\", \"segments\": [...]} per line, media paths relative to it." };
        var hf = new Option<string[]>("--hf") { Description = "Hugging Face datasets-style Parquet file(s): media as {bytes, path} structs, text as strings.", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = true };
        var columns = new Option<string?>("--columns") { Description = "With --hf: columns that become segments, in order, e.g. image,text (default: all but the id column)." };
        var idColumn = new Option<string>("--id-column") { Description = "With --hf: the column holding document ids (default id; FILE/ROW when absent).", DefaultValueFactory = _ => "id" };
        var outDirectory = new Option<string>("--out", "-o") { Description = "Directory to create the dataset in (must not hold one already).", Required = true };
        var shardMb = new Option<double>("--shard-mb") { Description = "Target shard size in MiB.", DefaultValueFactory = _ => 64 };
        var rowGroup = new Option<int>("--row-group") { Description = "Documents per Parquet row group.", DefaultValueFactory = _ => 256 };
        var workers = new Option<int>("--workers") { Description = "Threads decoding and checking media.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("pack", "Pack media and text you already have — a JSONL manifest of files, or HF-style Parquet — into verified shards.");
        foreach (var option in new Option[] { jsonl, hf, columns, idColumn, outDirectory, shardMb, rowGroup, workers })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var (shardBytes, rows, threads) = ((long)(parse.GetValue(shardMb) * Megabyte), parse.GetValue(rowGroup), parse.GetValue(workers));
            Require(shardBytes >= 1 && rows >= 1 && threads >= 1, "--shard-mb, --row-group and --workers must be positive");
            var (manifestPath, parquet) = (parse.GetValue(jsonl), parse.GetValue(hf) ?? []);
            Require(manifestPath is null != (parquet.Length == 0), "give either --jsonl FILE or --hf FILE...");
            var destination = parse.GetValue(outDirectory)!;
            var manifest = manifestPath is not null
                ? ConsoleProgress.RunAsync("pack", CountLines(manifestPath), error, progress =>
                    JsonlPacker.PackAsync(manifestPath, destination, shardBytes, rows, threads, progress)).GetAwaiter().GetResult()
                : ConsoleProgress.RunAsync("pack", CountRows(parquet), error, progress =>
                    HfParquetPacker.PackAsync(parquet, SplitColumns(parse.GetValue(columns)), parse.GetValue(idColumn)!, destination, shardBytes, rows, threads, progress)).GetAwaiter().GetResult();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"packed {manifest.Documents} documents into {manifest.Shards.Count} shard(s), {manifest.Shards.Sum(s => s.Bytes) / (double)Megabyte:0.0} MiB"));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static long CountLines(string path) => File.Exists(path) ? File.ReadLines(path).Count(l => l.Trim().Length > 0) : 0;

    // Only sizes the progress bar: a file that cannot be read counts 0 here and is reported by the packer.
    private static long CountRows(IEnumerable<string> files) => files.Where(File.Exists).Sum(f =>
    {
        try
        {
            using var stream = File.OpenRead(f);
            var reader = Parquet.ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
            var rows = reader.RowGroups.Sum(g => g.RowCount);
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return rows;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return 0L;
        }
    });

    private static string[] SplitColumns(string? columns) =>
        columns is null ? [] : columns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Command Verify(TextWriter output, TextWriter error)
    {
        var directory = new Argument<string>("dataset") { Description = "Dataset directory." };
        var command = new Command("verify", "Check checksums, row counts and that every media item decodes; exit 1 if anything is bad.");
        command.Arguments.Add(directory);
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var path = parse.GetValue(directory)!;
            var total = DatasetManifest.Load(path).Documents;
            var report = ConsoleProgress.RunAsync("verify", total, error, progress => DatasetVerifier.VerifyAsync(path, progress)).GetAwaiter().GetResult();
            foreach (var problem in report.Problems)
            {
                output.WriteLine($"BAD {problem}");
            }
            output.WriteLine(report.IsValid
                ? $"ok: {report.Documents} documents, {report.Segments} segments, every checksum and media item good"
                : $"{report.Problems.Count} problem(s) in {report.Documents} documents");
            return report.IsValid ? ExitCodes.Success : ExitCodes.RuntimeFailure;
        }));
        return command;
    }

    private static Command Inspect(TextWriter output, TextWriter error)
    {
        var directory = new Argument<string>("dataset") { Description = "Dataset directory." };
        var rows = new Option<int>("--rows") { Description = "Rows to decode and show.", DefaultValueFactory = _ => 5 };
        var dump = new Option<string?>("--dump") { Description = "Also write those rows' text and media to files in this directory." };
        var command = new Command("inspect", "Show a dataset's shards, modality statistics and a few decoded rows.");
        command.Arguments.Add(directory);
        command.Options.Add(rows);
        command.Options.Add(dump);
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var dataset = ShardedDataset.Open(parse.GetValue(directory)!);
            var count = parse.GetValue(rows);
            var console = Tables(output);
            console.Write(Overview(dataset.Manifest));
            console.Write(Modalities(dataset.Manifest));
            console.Write(Rows(DatasetInspector.SampleAsync(dataset, count).GetAwaiter().GetResult()));
            if (parse.GetValue(dump) is { } dumpDirectory)
            {
                var files = DatasetInspector.DumpAsync(dataset, dumpDirectory, count).GetAwaiter().GetResult();
                output.WriteLine($"wrote {files.Count} files to {dumpDirectory}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Bench(TextWriter output, TextWriter error)
    {
        var documents = new Option<int>("--documents") { Description = "Documents per synthetic dataset.", DefaultValueFactory = _ => 2048 };
        var imageSize = new Option<int>("--image-size") { Description = "Side of the PNG images.", DefaultValueFactory = _ => 256 };
        var workers = new Option<string>("--workers") { Description = "Decode worker counts to measure, comma-separated.", DefaultValueFactory = _ => "1,2" };
        var workDirectory = new Option<string?>("--work-dir") { Description = "Where to build (or reuse) the benchmark datasets (default: a temporary folder, removed after)." };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file." };
        var command = new Command("bench", "Measure the loader: rows/s and MB/s for reading + decoding + packing image and audio documents.");
        foreach (var option in new Option[] { documents, imageSize, workers, workDirectory, json })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var counts = (parse.GetValue(workers) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(w => int.TryParse(w, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new UsageException($"--workers: '{w}' is not a positive integer")).ToList();
            Require(counts.Count > 0 && parse.GetValue(documents) >= 8 && parse.GetValue(imageSize) is >= 16 and <= 2048, "--documents ≥ 8, --image-size 16–2048 and at least one worker count");
            var directory = parse.GetValue(workDirectory) ?? Path.Combine(Path.GetTempPath(), $"luma-data-bench-{Guid.NewGuid():N}");
            try
            {
                var tokenizer = new Modalities.Text.ByteTokenizer();
                var results = LoaderBenchmark.RunAsync(directory, parse.GetValue(documents), parse.GetValue(imageSize), tokenizer, [new Modalities.Text.TextModality(tokenizer)], counts,
                    r => error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench: {r.Kind} with {r.Workers} worker(s): {r.DocumentsPerSecond:0} rows/s"))).GetAwaiter().GetResult();
                var table = new Table().Title("loader throughput (read + decode + pack)")
                    .AddColumns("kind", "workers", "rows", "rows/s", "MiB/s", "positions/row", "positions/s");
                foreach (var r in results)
                {
                    table.AddRow(r.Kind, N(r.Workers), N(r.Documents), F(r.DocumentsPerSecond), F(r.MegabytesPerSecond, "0.00"), F(r.PositionsPerDocument), F(r.PositionsPerSecond));
                }
                Tables(output).Write(table);
                if (parse.GetValue(json) is { } path)
                {
                    File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(results.Select(r => new
                    {
                        kind = r.Kind, workers = r.Workers, rows = r.Documents, seconds = r.Seconds, rows_per_s = r.DocumentsPerSecond,
                        mib_per_s = r.MegabytesPerSecond, positions_per_row = r.PositionsPerDocument, positions_per_s = r.PositionsPerSecond,
                    }), new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                }
            }
            finally
            {
                if (parse.GetValue(workDirectory) is null && Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static IAnsiConsole Tables(TextWriter output) => ConsoleTables.Over(output);

    private static Command Encode(TextWriter output, TextWriter error)
    {
        var input = new Argument<string>("dataset") { Description = "Dataset directory to encode." };
        var outDirectory = new Option<string>("--out", "-o") { Description = "Directory for the encoded dataset (must not hold one already).", Required = true };
        var image = new Option<string?>("--image-codec") { Description = "Saved image VAE (`luma codec train`): images become latents." };
        var video = new Option<string?>("--video-codec") { Description = "Saved video VAE: videos become latents." };
        var audio = new Option<string?>("--audio-codec") { Description = "Saved audio codec: audio becomes codes." };
        var shardMb = new Option<double>("--shard-mb") { Description = "Target shard size in MiB.", DefaultValueFactory = _ => 64 };
        var rowGroup = new Option<int>("--row-group") { Description = "Documents per Parquet row group.", DefaultValueFactory = _ => 256 };
        var command = new Command("encode", "Pre-encode a dataset's media with frozen codecs (latents, codes) into new shards, so training need not run the encoders.");
        command.Arguments.Add(input);
        foreach (var option in new Option[] { outDirectory, image, video, audio, shardMb, rowGroup })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var (imageCodec, videoCodec, audioCodec) = (parse.GetValue(image), parse.GetValue(video), parse.GetValue(audio));
            Require(imageCodec is not null || videoCodec is not null || audioCodec is not null, "give at least one of --image-codec, --video-codec, --audio-codec");
            var source = parse.GetValue(input)!;
            var manifest = ConsoleProgress.RunAsync("encode", DatasetManifest.Load(source).Documents, error, progress =>
                Training.Codecs.DatasetEncoding.EncodeAsync(source, parse.GetValue(outDirectory)!, imageCodec, videoCodec, audioCodec,
                    (long)(parse.GetValue(shardMb) * Megabyte), parse.GetValue(rowGroup), progress)).GetAwaiter().GetResult();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"encoded {manifest.Documents} documents into {manifest.Shards.Count} shard(s), {manifest.Shards.Sum(s => s.Bytes) / (double)Megabyte:0.0} MiB"));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string F(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);

    private static Table Overview(DatasetManifest manifest)
    {
        var table = new Table().Title("shards").AddColumns("file", "rows", "row groups", "MiB", "sha256");
        foreach (var shard in manifest.Shards)
        {
            table.AddRow(shard.File, N(shard.Rows), N(shard.RowGroups), (shard.Bytes / (double)Megabyte).ToString("0.00", CultureInfo.InvariantCulture), shard.Sha256[..12] + "…");
        }
        table.AddRow("[bold]total[/]", N(manifest.Documents), N(manifest.Shards.Sum(s => s.RowGroups)),
            (manifest.Shards.Sum(s => s.Bytes) / (double)Megabyte).ToString("0.00", CultureInfo.InvariantCulture), "");
        return table;
    }

    private static Table Modalities(DatasetManifest manifest)
    {
        var table = new Table().Title("modalities").AddColumns("modality", "documents", "segments", "MiB", "KiB / segment");
        foreach (var (name, stats) in manifest.Modalities)
        {
            table.AddRow(name, N(stats.Documents), N(stats.Segments),
                (stats.Bytes / (double)Megabyte).ToString("0.00", CultureInfo.InvariantCulture),
                (stats.Bytes / 1024.0 / Math.Max(1, stats.Segments)).ToString("0.0", CultureInfo.InvariantCulture));
        }
        return table;
    }

    private static Table Rows(IReadOnlyList<InspectedRow> rows)
    {
        var table = new Table().Title("first rows").AddColumns("shard", "row", "id", "segments");
        foreach (var row in rows)
        {
            table.AddRow(Markup.Escape(row.Shard), N(row.Row), Markup.Escape(row.Id), Markup.Escape(string.Join("\n", row.Segments)));
        }
        return table;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new UsageException(message);
        }
    }
}

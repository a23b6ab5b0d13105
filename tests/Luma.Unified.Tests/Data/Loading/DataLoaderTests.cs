using Luma.Unified.Config.Options;
using Luma.Unified.Data.Building;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Loading;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Modalities.Text;
using Luma.Unified.Tests.Support;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Data.Loading;

public sealed class DataLoaderTests(SmallDatasetFixture data) : TorchTest, IClassFixture<SmallDatasetFixture>
{
    private DataLoader Loader(int rank = 0, int world = 1, bool media = true, int workers = 2, string? path = null, BadDataPolicy policy = BadDataPolicy.Fail, Action<string>? onSkip = null)
    {
        var stream = new ShardDocumentStream(ShardedDataset.Open(path ?? data.Path), seed: 3, rank, world, windowRowGroups: 2, DocumentFilter.All);
        var tokenizer = new ByteTokenizer();
        var encoder = new DocumentEncoder(tokenizer, [new TextModality(tokenizer)], new MediaGeometry(PatchSize: 8, AudioFramesPerSecond: 10), media);
        return new DataLoader(new DocumentMixer([stream], [1.0], seed: 3), encoder, rowLength: 96, batchRows: 3, workers, prefetch: 2, policy, onSkip);
    }

    private static string Fingerprint(PackedBatch batch) => string.Join("|", batch.Rows.Select(r =>
        string.Join(",", r.Pieces.Select(p => $"{p.DocumentId}:{p.Modality}:{p.Offset}+{p.Length}:{(p.Tokens is null ? "" : string.Join(".", p.Tokens))}"))));

    [Fact]
    public void RestoringAStateMidShardYieldsExactlyTheBatchesThatWouldHaveFollowed()
    {
        using var uninterrupted = Loader();
        for (var i = 0; i < 7; i++)
        {
            uninterrupted.Next();
        }
        var saved = uninterrupted.State;
        var expected = Enumerable.Range(0, 12).Select(_ => Fingerprint(uninterrupted.Next())).ToList();

        using var resumed = Loader(workers: 1);
        resumed.Restore(saved);
        var actual = Enumerable.Range(0, 12).Select(_ => Fingerprint(resumed.Next())).ToList();

        Assert.Equal(expected, actual);
        Assert.True(saved.Segment > 0 || saved.TokenOffset > 0 || saved.Source.Draws > 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void EachRankOfTwoResumesItsOwnStreamExactly(int rank)
    {
        using var uninterrupted = Loader(rank: rank, world: 2);
        for (var i = 0; i < 5; i++)
        {
            uninterrupted.Next();
        }
        var saved = uninterrupted.State;
        var expected = Enumerable.Range(0, 8).Select(_ => Fingerprint(uninterrupted.Next())).ToList();

        using var resumed = Loader(rank: rank, world: 2);
        resumed.Restore(saved);

        Assert.Equal(expected, Enumerable.Range(0, 8).Select(_ => Fingerprint(resumed.Next())));
        using var other = Loader(rank: 1 - rank, world: 2);
        var otherIds = Enumerable.Range(0, 5).SelectMany(_ => other.Next().Rows).SelectMany(r => r.DocumentIds).ToHashSet();
        using var mine = Loader(rank: rank, world: 2);
        var myIds = Enumerable.Range(0, 5).SelectMany(_ => mine.Next().Rows).SelectMany(r => r.DocumentIds).ToHashSet();
        Assert.Empty(myIds.Intersect(otherIds));
    }

    [Fact]
    public void TheDecodeWorkerCountDoesNotChangeTheData()
    {
        using var one = Loader(workers: 1);
        using var four = Loader(workers: 4);

        Assert.Equal(
            Enumerable.Range(0, 10).Select(_ => Fingerprint(one.Next())),
            Enumerable.Range(0, 10).Select(_ => Fingerprint(four.Next())));
    }

    [Fact]
    public void PackedRowsCarryMediaSpansAndTextTokens()
    {
        using var loader = Loader();
        var rows = Enumerable.Range(0, 10).SelectMany(_ => loader.Next().Rows).ToList();

        var pieces = rows.SelectMany(r => r.Pieces).ToList();
        Assert.Contains(pieces, p => p.Modality == "image" && p.Length == 4 && p.Payload is Luma.Unified.Data.Media.DecodedMedia { Image: not null });
        Assert.Contains(pieces, p => p.Modality == "video" && p.Length == 2 * 4);
        Assert.Contains(pieces, p => p.Modality == "audio" && p.Payload is Luma.Unified.Data.Media.DecodedMedia { Audio: not null });
        Assert.All(rows, r => Assert.True(r.Used <= 96));
        Assert.All(rows, r => Assert.Equal(r.Pieces.Select(p => p.Offset), r.Pieces.Select((p, i) => r.Pieces.Take(i).Sum(q => q.Length))));
    }

    [Fact]
    public void TokenBatchesMaskTargetsAtDocumentEndsAndPadding()
    {
        using var loader = Loader(media: false);
        var rows = loader.Next().Rows;
        using var batch = SequenceBatchBuilder.Build(rows, CPU);

        var inputs = batch.Inputs.data<long>().ToArray();
        var targets = batch.Targets.data<long>().ToArray();
        var documents = batch.DocumentIds.data<long>().ToArray();
        var positions = batch.Positions.select(2, 0).contiguous().data<long>().ToArray();
        for (var i = 0; i < inputs.Length - 1; i++)
        {
            var sameDocument = (i + 1) % 96 != 0 && documents[i] == documents[i + 1] && documents[i] >= 0;
            Assert.Equal(sameDocument ? inputs[i + 1] : -100, targets[i]);
            if (sameDocument)
            {
                Assert.Equal(positions[i] + 1, positions[i + 1]);
            }
        }
        Assert.Equal(-100, targets[^1]);
    }

    [Fact]
    public async Task ACorruptedMediaItemFailsWithItsLocationOrIsSkippedAndCounted()
    {
        using var temp = new TempDirectory();
        var writer = new DatasetWriter(temp.Path, 1_000_000, 4, "test");
        var world = new ShapesWorld(2, new ShapesWorldOptions { ImageSize = 16, VideoSize = 16, VideoFrames = 2, SampleRate = 4000 });
        for (var i = 0; i < 12; i++)
        {
            var document = world.Document(i);
            if (i == 5)
            {
                var media = document.Segments.First(s => s.Data is not null);
                media.Data = media.Data![..8];
            }
            await writer.AddAsync(document);
        }
        await writer.CompleteAsync();

        using var strict = Loader(path: temp.Path);
        var error = Assert.Throws<InvalidDataException>(() => { for (var i = 0; i < 20; i++) { strict.Next(); } });
        Assert.Contains("shard-00000.parquet row 5: document 'shapes/00000005' segment", error.Message, StringComparison.Ordinal);

        var skipped = new List<string>();
        using var lenient = Loader(path: temp.Path, policy: BadDataPolicy.Skip, onSkip: skipped.Add);
        var seen = Enumerable.Range(0, 12).SelectMany(_ => lenient.Next().Rows).SelectMany(r => r.DocumentIds).ToHashSet();
        Assert.DoesNotContain("shapes/00000005", seen);
        Assert.Contains("shapes/00000006", seen);
        Assert.True(lenient.SkippedDocuments >= 1);
        Assert.Contains(skipped, s => s.Contains("row 5", StringComparison.Ordinal));
    }
}

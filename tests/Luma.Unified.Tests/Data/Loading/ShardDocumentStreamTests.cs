using Luma.Unified.Data.Building;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Loading;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Data.Loading;

/// <summary>A 103-document dataset in 3 shards of 8-row groups, built once for these tests.</summary>
public sealed class SmallDatasetFixture : IDisposable
{
    private readonly TempDirectory _temp = new();

    public SmallDatasetFixture()
    {
        ShapesWorldBuilder.BuildAsync(_temp.Path, 103, seed: 4, new ShapesWorldOptions { ImageSize = 16, VideoSize = 16, VideoFrames = 2, SampleRate = 4000 }, shardBytes: 40_000, rowGroupRows: 8)
            .GetAwaiter().GetResult();
        Dataset = ShardedDataset.Open(_temp.Path);
    }

    public ShardedDataset Dataset { get; }

    public string Path => _temp.Path;

    public void Dispose() => _temp.Dispose();
}

public sealed class ShardDocumentStreamTests(SmallDatasetFixture data) : IClassFixture<SmallDatasetFixture>
{
    private ShardDocumentStream Stream(long seed = 9, int rank = 0, int world = 1, int window = 2) =>
        new(data.Dataset, seed, rank, world, window, DocumentFilter.All);

    private static List<string> Take(IDocumentStream stream, int count) => [.. Enumerable.Range(0, count).Select(_ => stream.Next().Document.Id)];

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void RanksAreDisjointAndTogetherCoverAnEpoch(int world)
    {
        Assert.True(data.Dataset.Manifest.Shards.Count > 1);
        var perRank = Enumerable.Range(0, world).Select(rank =>
        {
            var stream = Stream(rank: rank, world: world);
            var ids = new List<string>();
            while (stream.Position.Epoch == 0)
            {
                ids.Add(stream.Next().Document.Id);
            }
            return ids[..^1]; // the read that crossed into epoch 1
        }).ToList();

        var all = perRank.SelectMany(ids => ids).ToList();
        Assert.Equal(103, all.Count);
        Assert.Equal(103, all.Distinct().Count());
        Assert.All(perRank, ids => Assert.InRange(ids.Count, 103 / world - 8, 103 / world + 8));
    }

    [Fact]
    public void TheShuffleIsDeterministicBySeedAndChangesWithEpoch()
    {
        var first = Take(Stream(seed: 1), 103);
        var again = Take(Stream(seed: 1), 103);
        var otherSeed = Take(Stream(seed: 2), 103);
        var twoEpochs = Take(Stream(seed: 1), 206);

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.NotEqual(first, twoEpochs[103..]);
        Assert.Equal(first.Order(), twoEpochs[103..].Order());
        Assert.NotEqual(first.Order(), first); // rows really are shuffled, not in storage order
    }

    [Fact]
    public void RestoringAPositionMidWindowContinuesExactly()
    {
        var stream = Stream(window: 3);
        Take(stream, 37);
        var saved = stream.Position;
        var expected = Take(stream, 90); // runs into the next epoch

        var resumed = Stream(window: 3);
        resumed.Restore(saved);

        Assert.Equal(expected, Take(resumed, 90));
        Assert.True(saved.Offset > 0, "the saved position should be inside a window");
    }

    [Fact]
    public void LocationsNameTheShardAndRow()
    {
        var document = Stream().Next();
        var match = System.Text.RegularExpressions.Regex.Match(document.Location, @"^(shard-\d{5}\.parquet) row (\d+)$");
        Assert.True(match.Success, document.Location);

        var rows = data.Dataset.ReadAllAsync().ToBlockingEnumerable().ToList();
        var (shard, row, stored) = rows.Single(r => r.Document.Id == document.Document.Id);
        Assert.Equal(data.Dataset.Manifest.Shards[shard].File, match.Groups[1].Value);
        Assert.Equal(row, long.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TheHoldOutFilterSplitsDocumentsStably()
    {
        var heldOut = new ShardDocumentStream(data.Dataset, 1, 0, 1, 2, DocumentFilter.HoldOut(0.2, heldOut: true));
        var training = new ShardDocumentStream(data.Dataset, 1, 0, 1, 2, DocumentFilter.HoldOut(0.2, heldOut: false));
        var held = new HashSet<string>();
        while (heldOut.Position.Epoch == 0)
        {
            held.Add(heldOut.Next().Document.Id);
        }
        var trained = new HashSet<string>();
        while (training.Position.Epoch == 0)
        {
            trained.Add(training.Next().Document.Id);
        }

        Assert.Empty(held.Intersect(trained));
        Assert.Equal(103, held.Count + trained.Count);
        Assert.InRange(held.Count, 8, 35);
    }
}

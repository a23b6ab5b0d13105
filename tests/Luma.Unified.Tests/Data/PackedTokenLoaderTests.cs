using Luma.Unified.Abstractions;
using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Loading;
using Luma.Unified.Modalities.Text;
using Luma.Unified.Tests.Support;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Data;

public sealed class PackedTokenLoaderTests : TorchTest
{
    private static readonly ShapesCaptionCorpus s_corpus = new(300, seed: 3);
    private static readonly ByteTokenizer s_tokenizer = new();
    private static readonly int[] s_all = [.. Enumerable.Range(0, 300)];

    private static PackedTokenLoader Loader(int rank = 0, int world = 1, long seed = 11) =>
        new(s_corpus, s_tokenizer, s_all, seqLen: 32, batchSize: 4, seed, rank, world);

    private static long[] Values(Tensor t) => t.data<long>().ToArray();

    [Fact]
    public void BatchesHaveTheConfiguredShapeAndShiftedTargets()
    {
        var loader = Loader();
        using var first = loader.Next(CPU);
        using var second = loader.Next(CPU);

        Assert.Equal([4L, 32L], first.Inputs.shape);
        Assert.Equal([4L, 32L], first.Targets.shape);
        var inputs = Values(first.Inputs);
        var targets = Values(first.Targets);
        for (var row = 0; row < 4; row++)
        {
            for (var t = 0; t < 31; t++)
            {
                Assert.Equal(inputs[row * 32 + t + 1], targets[row * 32 + t]);
            }
        }
        // Rows continue one another: the last target of a row is the first input of the next row.
        Assert.Equal(targets[31], inputs[32]);
        Assert.Equal(Values(first.Targets)[^1], Values(second.Inputs)[0]);
    }

    [Fact]
    public void EveryDocumentIsBosTextEosAndPositionsRestartAtEachDocument()
    {
        var loader = Loader();
        using var batch = loader.Next(CPU);
        var inputs = Values(batch.Inputs);
        var positions = Values(batch.Positions);
        var documents = Values(batch.DocumentIds);
        var bos = s_tokenizer.SpecialTokenId(SpecialTokens.BeginDocument);

        for (var i = 0; i < inputs.Length; i++)
        {
            var rowStart = i % 32 == 0;
            if (inputs[i] == bos)
            {
                Assert.Equal(0, positions[i]);
            }
            if (!rowStart && documents[i] == documents[i - 1])
            {
                Assert.Equal(positions[i - 1] + 1, positions[i]);
            }
            if (!rowStart && documents[i] != documents[i - 1])
            {
                Assert.Equal(bos, inputs[i]);
            }
        }
        Assert.NotEmpty(batch.Documents);
        Assert.All(batch.Documents, d => Assert.StartsWith("shapes-captions/", d, StringComparison.Ordinal));
    }

    [Fact]
    public void TheSameSeedGivesTheSameStreamAndAnotherSeedAnother()
    {
        using var a = Loader(seed: 5).Next(CPU);
        using var b = Loader(seed: 5).Next(CPU);
        using var c = Loader(seed: 6).Next(CPU);

        Assert.Equal(Values(a.Inputs), Values(b.Inputs));
        Assert.NotEqual(Values(a.Inputs), Values(c.Inputs));
    }

    [Fact]
    public void RestoringAPositionContinuesExactly()
    {
        var uninterrupted = Loader();
        for (var i = 0; i < 3; i++)
        {
            uninterrupted.Next(CPU).Dispose();
        }
        var saved = uninterrupted.Position;
        using var expected = uninterrupted.Next(CPU);

        var resumed = Loader();
        resumed.Restore(saved);
        using var actual = resumed.Next(CPU);

        Assert.Equal(Values(expected.Inputs), Values(actual.Inputs));
        Assert.Equal(Values(expected.Positions), Values(actual.Positions));
        Assert.Equal(new LoaderPosition(0, 12), saved);
    }

    [Fact]
    public void RanksGetDisjointRowsThatTogetherFormTheSingleRankStream()
    {
        var single = Loader();
        var rank0 = Loader(rank: 0, world: 2);
        var rank1 = Loader(rank: 1, world: 2);
        using var all = single.Next(CPU);
        using var more = single.Next(CPU);
        using var r0 = rank0.Next(CPU);
        using var r1 = rank1.Next(CPU);

        var singleRows = Values(all.Inputs).Concat(Values(more.Inputs)).Chunk(32).ToList();
        var rows0 = Values(r0.Inputs).Chunk(32).ToList();
        var rows1 = Values(r1.Inputs).Chunk(32).ToList();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(singleRows[2 * i], rows0[i]);
            Assert.Equal(singleRows[2 * i + 1], rows1[i]);
        }
    }

    [Fact]
    public void EpochsRollOverToAFreshShuffle()
    {
        var small = new PackedTokenLoader(s_corpus, s_tokenizer, [0, 1, 2], seqLen: 16, batchSize: 1, seed: 1);
        var epochs = new HashSet<int>();
        for (var i = 0; i < 40; i++)
        {
            small.Next(CPU).Dispose();
            epochs.Add(small.Position.Epoch);
        }

        Assert.True(epochs.Count > 2, $"saw epochs {string.Join(",", epochs)}");
    }
}

using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Loading;

namespace Luma.Unified.Tests.Data.Loading;

public sealed class DocumentMixerTests
{
    private static CorpusDocumentStream Corpus(long seed) => new(new ShapesCaptionCorpus(500, seed), seed, 0, 1, DocumentFilter.All);

    [Fact]
    public void SourcesAreDrawnInProportionToTheirWeights()
    {
        var mixer = new DocumentMixer([new NamedStream("first"), new NamedStream("second")], [3, 1], seed: 5);

        var fromFirst = Enumerable.Range(0, 4000).Count(_ => mixer.Next().Location == "first");

        Assert.InRange(fromFirst / 4000.0, 0.72, 0.78);
    }

    [Fact]
    public void APositionRestoresTheMixExactly()
    {
        var mixer = new DocumentMixer([Corpus(1), Corpus(2)], [1, 1], seed: 5);
        for (var i = 0; i < 333; i++)
        {
            mixer.Next();
        }
        var saved = mixer.Position;
        var expected = Enumerable.Range(0, 50).Select(_ => mixer.Next().Location).ToList();

        var resumed = new DocumentMixer([Corpus(1), Corpus(2)], [1, 1], seed: 5);
        resumed.Restore(saved);

        Assert.Equal(expected, Enumerable.Range(0, 50).Select(_ => resumed.Next().Location));
    }

    [Fact]
    public void BadWeightsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new DocumentMixer([Corpus(1)], [0], seed: 1));
        Assert.Throws<ArgumentException>(() => new DocumentMixer([Corpus(1), Corpus(2)], [1], seed: 1));
    }

    /// <summary>A stream whose documents all say which stream they came from.</summary>
    private sealed class NamedStream(string name) : IDocumentStream
    {
        private int _offset;

        public DocumentPosition Position => new(0, 0, _offset);

        public void Restore(DocumentPosition position) => _offset = position.Offset;

        public SourcedDocument Next() => new(new Luma.Unified.Data.Format.DocumentRecord { Id = $"{name}/{_offset++}" }, name);
    }
}

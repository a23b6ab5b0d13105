using Luma.Unified.Data.Corpus;

namespace Luma.Unified.Tests.Data;

public sealed class ShapesCaptionCorpusTests
{
    [Fact]
    public void DocumentsDependOnlyOnSeedAndIndex()
    {
        var a = new ShapesCaptionCorpus(100, seed: 7);
        var b = new ShapesCaptionCorpus(5000, seed: 7);
        var other = new ShapesCaptionCorpus(100, seed: 8);

        Assert.Equal(a.Get(42), b.Get(42));
        Assert.Equal("shapes-captions/42", a.Get(42).Id);
        var differing = Enumerable.Range(0, 100).Count(i => a.Get(i).Text != other.Get(i).Text);
        Assert.True(differing > 80, $"only {differing} of 100 documents differ between seeds");
    }

    [Fact]
    public void DocumentsUseTheShapesVocabulary()
    {
        var corpus = new ShapesCaptionCorpus(500, seed: 1);
        var words = Enumerable.Range(0, 500).SelectMany(i => corpus.Get(i).Text.Split(' ', '.')).Where(w => w.Length > 0).ToHashSet();

        Assert.Superset(ShapesVocabulary.Colors.ToHashSet(), words);
        Assert.Superset(ShapesVocabulary.Shapes.ToHashSet(), words);
        Assert.All(Enumerable.Range(0, 500), i => Assert.EndsWith(".", corpus.Get(i).Text, StringComparison.Ordinal));
    }

    [Fact]
    public void IndicesOutsideTheCorpusAreRejected()
    {
        var corpus = new ShapesCaptionCorpus(10, seed: 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => corpus.Get(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => corpus.Get(-1));
    }
}

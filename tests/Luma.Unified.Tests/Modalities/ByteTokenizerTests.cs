using Luma.Unified.Abstractions;
using Luma.Unified.Modalities.Text;

namespace Luma.Unified.Tests.Modalities;

public sealed class ByteTokenizerTests
{
    private readonly ByteTokenizer _tokenizer = new();

    [Theory]
    [InlineData("a red circle.")]
    [InlineData("Grüße, 世界! 🎨")]
    [InlineData("")]
    public void TextRoundTripsExactly(string text) => Assert.Equal(text, _tokenizer.Decode(_tokenizer.Encode(text)));

    [Fact]
    public void IdsAreTheUtf8Bytes()
    {
        Assert.Equal([65, 195, 169], _tokenizer.Encode("Aé"));
        Assert.Equal([240, 159, 142, 168], _tokenizer.Encode("🎨"));
    }

    [Fact]
    public void SpecialTokensFollowTheBytesAndDecodeToNothing()
    {
        Assert.Equal(264, _tokenizer.VocabSize);
        Assert.Equal(258, _tokenizer.SpecialTokenId(SpecialTokens.Start("image")));
        Assert.Equal(263, _tokenizer.SpecialTokenId(SpecialTokens.End("audio")));
        Assert.Equal(256, _tokenizer.SpecialTokenId(SpecialTokens.BeginDocument));
        Assert.Equal(257, _tokenizer.SpecialTokenId(SpecialTokens.EndDocument));
        Assert.Equal("hi", _tokenizer.Decode([256, 104, 105, 257]));
        var error = Assert.Throws<KeyNotFoundException>(() => _tokenizer.SpecialTokenId("<|lidar_start|>"));
        Assert.Contains("<|lidar_start|>", error.Message, StringComparison.Ordinal);
    }
}

using Luma.Unified.Abstractions;
using Luma.Unified.Modalities.Text;

namespace Luma.Unified.Tests.Modalities;

public sealed class TiktokenEncodingTests
{
    private static readonly TiktokenEncoding s_o200k = new("o200k_base");
    private static readonly TiktokenEncoding s_cl100k = new("cl100k_base");

    [Theory]
    // Published ids (OpenAI tiktoken) for these strings.
    [InlineData("cl100k_base", "hello world", new[] { 15339, 1917 })]
    [InlineData("cl100k_base", "Hello, world!", new[] { 9906, 11, 1917, 0 })]
    [InlineData("o200k_base", "hello world", new[] { 24912, 2375 })]
    [InlineData("o200k_base", "Hello, world!", new[] { 13225, 11, 2375, 0 })]
    public void IdsMatchThePublishedOnes(string encoding, string text, int[] expected)
    {
        var tokenizer = encoding == "o200k_base" ? s_o200k : s_cl100k;

        Assert.Equal(expected, tokenizer.Encode(text));
    }

    [Theory]
    [InlineData("a medium red star at the middle right.")]
    [InlineData("Grüße, 世界! 🎨 — naïve café")]
    [InlineData("")]
    public void TextRoundTripsExactly(string text)
    {
        Assert.Equal(text, s_o200k.Decode(s_o200k.Encode(text)));
        Assert.Equal(text, s_cl100k.Decode(s_cl100k.Encode(text)));
    }

    [Fact]
    public void LumaSpecialTokensFollowTheEncodingsOwnIds()
    {
        Assert.Equal(200_019, s_o200k.SpecialTokenId(SpecialTokens.BeginDocument)); // after <|endofprompt|> = 200018
        Assert.Equal(200_020, s_o200k.SpecialTokenId(SpecialTokens.EndDocument));
        Assert.Equal(200_027, s_o200k.VocabSize); // 8 Luma special tokens: document and media boundaries
        Assert.Equal(100_277, s_cl100k.SpecialTokenId(SpecialTokens.BeginDocument)); // after <|endofprompt|> = 100276
        Assert.Equal("hi", s_cl100k.Decode([100_277, .. s_cl100k.Encode("hi"), 100_278]));
        Assert.Equal(100_279, s_cl100k.SpecialTokenId(SpecialTokens.Start("image")));
        Assert.Equal(100_285, s_cl100k.VocabSize);
        Assert.Throws<KeyNotFoundException>(() => s_cl100k.SpecialTokenId("<|lidar_start|>"));
    }
}

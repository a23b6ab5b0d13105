using Luma.Unified.Abstractions;
using Luma.Unified.Config;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Loading;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Modalities.Text;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training;

namespace Luma.Unified.Tests.Modalities;

/// <summary>The built-in media modalities (image, video, audio through saved codecs) on the modality seam.</summary>
public sealed class CodecModalityTests(TinyCodecs codecs) : TorchTest, IClassFixture<TinyCodecs>
{
    private static readonly ShapesWorld s_world = new(3, new ShapesWorldOptions { ImageSize = 32, VideoSize = 16, ImageWeight = 1, AudioWeight = 1, VideoWeight = 1, InterleavedWeight = 0 });

    private IReadOnlyList<IModality> Build(params string[] overrides) =>
        ModalitySet.Build(ConfigLoader.Load(Repo.Config("tiny-text.yaml"), overrides), new ByteTokenizer());

    private IReadOnlyList<IModality> All() =>
        Build($"modalities.options={{image: {{codec: {codecs.Image}}}, video: {{codec: {codecs.Video}}}, audio: {{codec: {codecs.Audio}}}}}");

    private static SegmentRecord First(string modality) =>
        Enumerable.Range(0, 100).Select(i => s_world.Document(i)).SelectMany(d => d.Segments).First(s => s.Modality == modality);

    [Fact]
    public void CodecOptionsEnableTheMediaModalitiesWithTheirHeads()
    {
        var modalities = All();

        Assert.Equal(["text", "image", "video", "audio"], modalities.Select(m => m.Name));
        Assert.Equal([ModalityHead.Autoregressive, ModalityHead.Diffusion, ModalityHead.Diffusion, ModalityHead.Autoregressive], modalities.Select(m => m.Head));
        Assert.Equal(2 * 32, modalities[3].VocabSize);
        Assert.Equal([null, 8, 4, null], modalities.Select(m => m.LatentGridSide));
    }

    [Theory]
    [InlineData("image", 64, 4, 2)]     // 8×8 latent cells of 4 channels, (row, column)
    [InlineData("video", 80, 4, 3)]     // 5 latent frames of 4×4 cells, (frame, row, column)
    public void ContinuousModalitiesGiveOneLatentPerCellWithCoordinatesAndDecodeToMedia(string name, int positions, int channels, int rank)
    {
        var modality = All().Single(m => m.Name == name);

        var input = modality.Encode(First(name));
        var decoded = modality.Decode(input);

        Assert.Equal((positions, channels, rank), (input.Length, input.LatentDim, input.CoordinateRank));
        Assert.Equal(positions * channels, input.Latents!.Length);
        Assert.Equal(positions * rank, input.Coordinates!.Length);
        Assert.Equal(name, decoded.Modality);
        Assert.Equal(input.Length, modality.Encode(decoded).Length);
    }

    [Theory]
    [InlineData("image", 16, 16, 2, 4)]    // 4×4 patches of 2×2 cells × 4 channels
    [InlineData("video", 20, 16, 3, 2)]    // 5 latent frames of 2×2 patches
    public void APatchOf2GroupsFourCellsIntoOnePositionAndDecodesToTheSameMedia(string name, int positions, int channels, int rank, int gridSide)
    {
        var cells = All().Single(m => m.Name == name);
        var patched = Build($"modalities.options={{image: {{codec: {codecs.Image}, patch: 2}}, video: {{codec: {codecs.Video}, patch: 2}}}}").Single(m => m.Name == name);
        var segment = First(name);

        var input = patched.Encode(segment);
        var decoded = patched.Decode(input);

        Assert.Equal((positions, channels, rank, channels), (input.Length, input.LatentDim, input.CoordinateRank, patched.LatentChannels));
        // The grid the conv input layers see: one item's positions, a side of cells / patch.
        Assert.Equal((gridSide * 2, gridSide), (cells.LatentGridSide, patched.LatentGridSide));
        Assert.Equal(Media(cells.Decode(cells.Encode(segment))), Media(decoded));
    }

    private static string Media(SegmentRecord segment) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(segment.Data ?? []));

    [Fact]
    public void AudioCodesBecomeTokensThatDecodeToTheSameCodes()
    {
        var audio = All().Single(m => m.Name == "audio");

        var tokens = audio.Encode(First("audio"));
        var again = audio.Encode(audio.Decode(tokens));

        Assert.All(tokens.Tokens!, t => Assert.InRange(t, 0, audio.VocabSize - 1));
        Assert.Equal(tokens.Length, again.Length);
        Assert.Equal(0, tokens.Length % 2); // two codebooks per frame
    }

    [Fact]
    public void AudioTokensJoinTheSharedVocabularyAfterText()
    {
        var modalities = All();
        var encoder = new DocumentEncoder(new ByteTokenizer(), modalities, new MediaGeometry(), includeMedia: false);
        var document = new DocumentRecord { Id = "a", Segments = [Segments.OfText("a tone."), First("audio")] };

        var packable = encoder.Encode(new SourcedDocument(document, "test"));

        var audio = packable.Segments.Single(s => s.Modality == "audio");
        Assert.All(audio.Tokens!, t => Assert.InRange(t, 264, 264 + 64 - 1));
        var bytes = new ByteTokenizer();
        var text = packable.Segments.Where(s => s.Modality == "text").SelectMany(s => s.Tokens!).ToList();
        Assert.Contains(bytes.SpecialTokenId(SpecialTokens.Start("audio")), text);
        Assert.Contains(bytes.SpecialTokenId(SpecialTokens.End("audio")), text);
        Assert.Equal(["text", "audio", "text"], packable.Segments.Select(s => s.Modality));
        Assert.DoesNotContain(packable.Segments, s => s.Modality is "image" or "video");
    }

    [Fact]
    public void ImageLatentsArePackedAsOnePositionPerCell()
    {
        var encoder = new DocumentEncoder(new ByteTokenizer(), All(), new MediaGeometry(), includeMedia: true);
        var document = new DocumentRecord { Id = "i", Segments = [First("image"), Segments.OfText("a shape.")] };

        var packable = encoder.Encode(new SourcedDocument(document, "test"));

        var image = packable.Segments.Single(s => s.Modality == "image");
        Assert.Equal(64, image.Length);
        Assert.IsType<ModalityInput>(image.Payload);
    }

    [Theory]
    [InlineData("modalities.options={image: {}}", "modalities.options.image: the image modality needs modalities.options.image.codec")]
    [InlineData("modalities.options={audio: {codec: /no/such/codec}}", "modalities.options.audio: /no/such/codec is not a saved codec")]
    [InlineData("modalities.options={image: {codec: IMAGE, patch: 3}}", "modalities.options.image.patch is 3: it must be a positive divisor of the 8 × 8 latent grid")]
    [InlineData("modalities.options={audio: {codec: AUDIO, patch: 2}}", "modalities.options.audio.patch is 2: audio codes have no latent grid")]
    public void AMissingOrWrongCodecIsAConfigError(string options, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Build(options.Replace("IMAGE", codecs.Image).Replace("AUDIO", codecs.Audio)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}

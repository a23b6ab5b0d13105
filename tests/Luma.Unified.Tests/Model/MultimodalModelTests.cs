using Luma.Unified.Abstractions;
using Luma.Unified.Backbone;
using Luma.Unified.Backbone.Layers;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Loading;
using Luma.Unified.Heads.Diffusion;
using Luma.Unified.Model;
using Luma.Unified.Model.Inputs;
using Luma.Unified.Tests.Support;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Model;

public sealed class MultimodalModelTests : TorchTest
{
    private const int Channels = 3;

    private static UnifiedModel Model(DiffusionHeadKind head = DiffusionHeadKind.Linear, LatentInputKind input = LatentInputKind.Linear)
    {
        manual_seed(11);
        var model = new UnifiedModel(
            new ModelOptions { Dim = 32, Layers = 2, Heads = 4, KvHeads = 2, MaxSeqLen = 128 }, TestVocabulary.Of(("text", 20)), new ComputePrecision(),
            new DiffusionOptions { Head = head, InputLayers = input }, [new LatentModality("image", Channels, GridSide: 2)]);
        model.eval();
        return model;
    }

    // doc 0: <bos> caption <start> [2×2 image] <end> more text <eos>; doc 1: text.
    private static PackedRow Row(int lastToken = 9, float lastLatentShift = 0, int otherDocumentToken = 3)
    {
        var image = Rows.Image(0, 2, Channels);
        var input = (ModalityInput)image.Payload!;
        var latents = input.Latents!.ToArray();
        latents[^1] += lastLatentShift;
        return Rows.Row(24,
            Rows.Tokens(0, 1, 2, 3, 4), image with { Payload = input with { Latents = latents } }, Rows.Tokens(0, 5, 6, 7, 8, lastToken),
            Rows.Tokens(1, 1, otherDocumentToken, 2));
    }

    private static float[] Hidden(UnifiedModel model, PackedRow row)
    {
        using var scope = NewDisposeScope();
        using var batch = SequenceBatchBuilder.Build([row], CPU);
        var image = batch.Media[0];
        var noised = new NoisedLatents("image", image.Latents, full([image.Count], 0.5f), image.Index);
        var mask = UnifiedModel.AttentionMask(batch);
        using var noGrad = no_grad();
        return model.Hidden(model.Embed(batch.Inputs, [noised]), batch.Positions, mask)[0].sum(1).data<float>().ToArray();
    }

    [Theory]
    [InlineData(LatentInputKind.Linear)]
    [InlineData(LatentInputKind.Conv)]
    public void LaterPositionsNeverChangeEarlierOutputsButAnImageSeesAllOfItself(LatentInputKind input)
    {
        using var model = Model(input: input);
        var reference = Hidden(model, Row());

        var laterToken = Hidden(model, Row(lastToken: 12));
        var otherImage = Hidden(model, Row(lastLatentShift: 1));
        var otherDocument = Hidden(model, Row(otherDocumentToken: 15));

        Assert.Equal(reference[..12], laterToken[..12]);                       // everything before the last token of doc 0
        Assert.NotEqual(reference[12], laterToken[12]);
        Assert.Equal(reference[..4], otherImage[..4]);                           // the caption does not see the image
        Assert.All(Enumerable.Range(4, 4), i => Assert.NotEqual(reference[i], otherImage[i])); // the first image position sees the last latent
        Assert.Equal(reference[..13], otherDocument[..13]);                      // nothing crosses documents
    }

    [Fact]
    public void MultimodalRotaryWithEqualCoordinatesIsTheOneDimensionalRotary()
    {
        using var rotary = new RotaryEmbedding(headDim: 16, maxSeqLen: 64, theta: 10_000);
        using var positions = arange(40, dtype: ScalarType.Int64).reshape(2, 20);

        var (cos1, sin1) = rotary.Tables(positions);
        var (cos3, sin3) = rotary.Tables(positions.unsqueeze(2).expand(2, 20, 3));

        Assert.Equal(cos1.data<float>().ToArray(), cos3.data<float>().ToArray());
        Assert.Equal(sin1.data<float>().ToArray(), sin3.data<float>().ToArray());
    }

    [Fact]
    public void AZeroVelocityHeadsLossIsTheMeanSquaredVelocityOverNoisedLatentsOnly()
    {
        using var model = Model();
        // Document 1's image is followed by a caption and kept clean: it must not count.
        var row = Rows.Row(40, Rows.Tokens(0, 1, 2, 3, 4), Rows.Image(0, 2, Channels, 5), Rows.Tokens(0, 5, 6),
            Rows.Tokens(1, 1, 4), Rows.Image(1, 2, Channels, 6), Rows.Tokens(1, 5, 7, 8, 9, 6));
        using var batch = SequenceBatchBuilder.Build([row], CPU, new MediaPolicy(1, 0, new Random(1)));

        using var generator = new Generator(42, CPU);
        using var loss = model.Loss(batch, generator);

        using var replay = new Generator(42, CPU);
        var t = new LogitNormalTimesteps().Sample(2, replay, CPU);
        var noise = randn([8, Channels], generator: replay);
        var clean = batch.Media[0].Latents;
        var expected = (noise[..4] - clean[..4]).square().mean().item<float>();   // the velocity target of the noised image
        Assert.Equal(expected, loss.PartValues()["image"], 5);
        Assert.True(t[0].item<float>() is > 0 and < 1);
        Assert.Equal(new[] { "image", "text" }, loss.Parts.Keys.Order());
    }

    [Fact]
    public void TheMlpHeadTrainsTheSameLossPlumbingAndItsGradientsReachTheBackbone()
    {
        using var model = Model(DiffusionHeadKind.Mlp);
        model.train();
        using var batch = SequenceBatchBuilder.Build([Row()], CPU);

        using var loss = model.Loss(batch);
        loss.Total.backward();

        Assert.True(loss.PartValues()["image"] > 0);
        var named = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Contains("velocityHeads.image.output.weight", named.Keys);
        Assert.True(named["latentInputs.image.weight"].grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void ConvInputLayersTrainThroughTheLossAndNeedAGrid()
    {
        using var model = Model(input: LatentInputKind.Conv);
        model.train();
        using var batch = SequenceBatchBuilder.Build([Row()], CPU);

        using var loss = model.Loss(batch);
        loss.Total.backward();

        var named = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.True(named["latentInputs.image.stem.weight"].grad!.abs().sum().item<float>() > 0);
        var error = Assert.Throws<ArgumentException>(() => new UnifiedModel(
            new ModelOptions { Dim = 32, Layers = 1, Heads = 4, KvHeads = 2 }, TestVocabulary.Of(("text", 20)), new ComputePrecision(),
            new DiffusionOptions { InputLayers = LatentInputKind.Conv }, [new LatentModality("plugin-latents", Channels)]));
        Assert.Contains("diffusion.input_layers: conv needs a latent grid, and the plugin-latents modality lays out none", error.Message);
    }
}

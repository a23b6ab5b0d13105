using System.Text.Json;
using Luma.Unified.Abstractions;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;
using Luma.Unified.Data.Loading;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Model;
using Luma.Unified.Model.Generation;
using Luma.Unified.Model.Inputs;
using Luma.Unified.Config.Options;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training;
using Luma.Unified.Training.Checkpointing;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Model;

[Collection(TinyShapesCollection.Name)]
public sealed class MultimodalGenerationTests(TinyShapesRun trained) : TorchTest
{
    private static readonly SamplingOptions s_greedy = new(MaxNewTokens: 40, Temperature: 0);
    private static readonly LatentSampling s_latents = new(FlowSamplerKind.Euler, Steps: 3, CfgScale: 2.0, Seed: 5);

    private RunComponents Components()
    {
        var components = RunComponents.Build(trained.Config);
        CheckpointStore.LoadForInference(trained.Result.LastCheckpoint, components.Model);
        return components;
    }

    [Fact]
    public void TrainingOnInterleavedDocumentsLowersBothTheTextAndTheImageLoss()
    {
        var records = File.ReadAllLines(trained.Run.MetricsFile).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        double Loss(JsonElement r, string name) => r.GetProperty(name).GetDouble();

        Assert.True(Loss(records[^1], "loss_text") < 0.8 * Loss(records[0], "loss_text"), $"text {Loss(records[0], "loss_text")} → {Loss(records[^1], "loss_text")}");
        Assert.True(Loss(records[^1], "loss_image") < 0.9 * Loss(records[0], "loss_image"), $"image {Loss(records[0], "loss_image")} → {Loss(records[^1], "loss_image")}");
        Assert.True(File.Exists(Path.Combine(trained.Result.LastCheckpoint, ExponentialMovingAverage.FileName)));
    }

    [Fact]
    public void TextToImageIsDeterministicBySeedAndDecodesToAnImageOfTheCodecsSize()
    {
        var components = Components();
        var generation = new MediaGeneration(components.Model, components.Tokenizer, components.Modalities);

        var first = SegmentDecoder.Decode(generation.TextToImage("a large red circle at the middle center.", s_latents)).Image!;
        var again = SegmentDecoder.Decode(generation.TextToImage("a large red circle at the middle center.", s_latents)).Image!;
        var otherSeed = SegmentDecoder.Decode(generation.TextToImage("a large red circle at the middle center.", s_latents with { Seed = 6 })).Image!;

        Assert.Equal((32, 32), (first.Width, first.Height));
        Assert.Equal(first.Pixels, again.Pixels);
        Assert.NotEqual(first.Pixels, otherSeed.Pixels);
    }

    [Fact]
    public void CachedDecodingAfterAnImageGivesTheTokensAFullRecomputationGives()
    {
        var components = Components();
        var model = components.Model;
        var tokenizer = components.Tokenizer;
        var scene = new ShapeScene("blue", "square", "large", "top", "left");
        var latents = components.Modalities.Single(m => m.Name == "image").Encode(Segments.OfImage(scene.Render(32)));
        List<PackedPiece> context =
        [
            new("text", 0, 2, 0, "d", [tokenizer.SpecialTokenId(SpecialTokens.BeginDocument), tokenizer.SpecialTokenId(SpecialTokens.Start("image"))], null),
            new("image", 0, latents.Length, 0, "d", null, latents),
            new("text", 0, 1, 0, "d", [tokenizer.SpecialTokenId(SpecialTokens.End("image"))], null),
        ];
        var text = model.Vocabulary.Blocks[0];

        var cached = new MultimodalGenerator(model).GenerateTokens(context, _ => (text.Offset, text.Size, []), new HashSet<int>(), s_greedy with { MaxNewTokens = 12 });

        model.eval();
        var recomputed = new List<int>();
        using (no_grad())
        {
            for (var i = 0; i < 12; i++)
            {
                using var scope = NewDisposeScope();
                var pieces = context.Append(new PackedPiece("text", 0, recomputed.Count, 0, "d", [.. recomputed], null)).Where(p => p.Length > 0).ToArray();
                using var batch = SequenceBatchBuilder.Build([Rows.Row(pieces.Sum(p => p.Length), pieces)], CPU);
                var image = batch.Media[0];
                var mask = UnifiedModel.AttentionMask(batch);
                var hidden = model.Hidden(model.Embed(batch.Inputs, [new NoisedLatents("image", image.Latents, zeros(image.Count), image.Index)]), batch.Positions, mask);
                recomputed.Add((int)model.TokenLogits(hidden[0, -1]).narrow(0, text.Offset, text.Size).argmax().item<long>());
            }
        }
        Assert.Equal(recomputed, cached);
    }

    [Fact]
    public void InterleavedGenerationSwitchesToDiffusionAtAnImageStartAndThenContinuesWithText()
    {
        var components = Components();
        var tokenizer = components.Tokenizer;
        var generation = new MediaGeneration(components.Model, tokenizer, components.Modalities);
        List<int> prompt = [.. tokenizer.Encode("here is a picture."), tokenizer.SpecialTokenId(SpecialTokens.Start("image"))];

        var segments = generation.Interleaved(prompt, s_greedy, s_latents, maxImages: 1);

        Assert.Equal("text", segments[0].Modality);
        Assert.Equal("here is a picture.", segments[0].Text);
        Assert.Equal("image", segments[1].Modality);
        Assert.Equal(32, SegmentDecoder.Decode(segments[1]).Image!.Width);
        Assert.All(segments.Skip(2), s => Assert.Equal("text", s.Modality));
        Assert.DoesNotContain(segments.Where(s => s.Text is not null), s => s.Text!.Contains("<|", StringComparison.Ordinal));
    }

    [Fact]
    public void CaptioningReadsTheImageAndWritesPlainText()
    {
        var components = Components();
        var generation = new MediaGeneration(components.Model, components.Tokenizer, components.Modalities);
        var image = Segments.OfImage(new ShapeScene("green", "star", "small", "bottom", "right").Render(32));

        var caption = generation.Caption(image, s_greedy);
        var again = generation.Caption(image, s_greedy);

        Assert.False(string.IsNullOrWhiteSpace(caption));
        Assert.Equal(caption, again);
        Assert.DoesNotContain("<|", caption, StringComparison.Ordinal);
    }
}

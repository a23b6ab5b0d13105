using Luma.Unified.Abstractions;
using Luma.Unified.Config;
using Luma.Unified.Modalities.Text;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training;

namespace Luma.Unified.Tests.Modalities;

/// <summary>The contract every registered modality — built in or plugin — must keep.</summary>
public sealed class ModalityContractTests(TinyCodecs codecs) : TorchTest, IClassFixture<TinyCodecs>
{
    /// <summary>Every modality a run can have: text with each registered tokenizer, and the sample plugin's.</summary>
    public static TheoryData<string> Modalities()
    {
        var data = new TheoryData<string>();
        foreach (var tokenizer in BuiltInComponents.Tokenizers.Names)
        {
            data.Add($"text/{tokenizer}");
        }
        data.Add("sensor");
        data.Add("image");
        data.Add("video");
        data.Add("audio");
        return data;
    }

    private IModality Create(string name)
    {
        if (name.StartsWith("text/", StringComparison.Ordinal))
        {
            // The hf-json tokenizer reads a file: the tiny byte-level BPE fixture.
            var fixture = Path.Combine(Repo.Root, "tests", "fixtures", "tokenizers", "tiny-byte-bpe.json");
            return new TextModality(BuiltInComponents.Tokenizers.Create(name[5..], new Luma.Unified.Config.Options.DataOptions { TokenizerFile = fixture }));
        }
        var config = ConfigLoader.Load(null, [$"modalities.plugins=[{SamplePlugin.AssemblyPath}]",
            $"modalities.options={{image: {{codec: {codecs.Image}}}, video: {{codec: {codecs.Video}}}, audio: {{codec: {codecs.Audio}}}}}"]);
        return ModalitySet.Build(config, new ByteTokenizer()).Single(m => m.Name == name);
    }

    private static SegmentRecord Sample(IModality modality) => modality.Name switch
    {
        "text" => new SegmentRecord { Modality = "text", Text = "a small red circle at the top left. ünïcödé ✓" },
        "sensor" => new SegmentRecord { Modality = modality.Name, Encoding = "f32le", Data = [.. Enumerable.Range(0, 50).SelectMany(i => BitConverter.GetBytes((float)Math.Sin(i / 5.0)))] },
        var media => Enumerable.Range(0, 50).Select(i => s_world.Document(i)).SelectMany(d => d.Segments).First(s => s.Modality == media),
    };

    private static readonly Luma.Unified.Data.Synthesis.ShapesWorld s_world = new(5, new() { ImageSize = 32, VideoSize = 16, ImageWeight = 1, AudioWeight = 1, VideoWeight = 1, InterleavedWeight = 0 });

    [Theory]
    [MemberData(nameof(Modalities))]
    public void EncodingGivesInputsOfTheModalitysHead(string name)
    {
        var modality = Create(name);

        var input = modality.Encode(Sample(modality));

        Assert.False(string.IsNullOrWhiteSpace(modality.Name));
        Assert.True(input.Length > 0);
        if (modality.Head == ModalityHead.Autoregressive)
        {
            Assert.All(input.Tokens!, t => Assert.InRange(t, 0, modality.VocabSize - 1));
        }
        else
        {
            Assert.Equal(0, modality.VocabSize);
            Assert.Equal(input.Length * input.LatentDim, input.Latents!.Length);
            Assert.Equal(input.Length * input.CoordinateRank, input.Coordinates!.Length);
        }
    }

    [Theory]
    [MemberData(nameof(Modalities))]
    public void DecodingGivesAStoredSegmentOfTheModalityThatEncodesAgain(string name)
    {
        var modality = Create(name);
        var input = modality.Encode(Sample(modality));

        var decoded = modality.Decode(input);

        Assert.Equal(modality.Name, decoded.Modality);
        Assert.Equal(input.Length, modality.Encode(decoded).Length);
    }

    [Theory]
    [MemberData(nameof(Modalities))]
    public void AnUnusablePayloadIsAnInvalidDataError(string name)
    {
        var modality = Create(name);

        Assert.Throws<InvalidDataException>(() => modality.Encode(new SegmentRecord { Modality = modality.Name, Encoding = "nonsense", Data = [1, 2, 3] }));
    }
}

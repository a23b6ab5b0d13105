using Luma.Unified.Abstractions;
using Luma.Unified.Config;
using Luma.Unified.Modalities.Text;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training;

namespace Luma.Unified.Tests.Modalities;

/// <summary>The contract every registered modality — built in or plugin — must keep.</summary>
public sealed class ModalityContractTests
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
        return data;
    }

    private static IModality Create(string name)
    {
        if (name.StartsWith("text/", StringComparison.Ordinal))
        {
            // The hf-json tokenizer reads a file: the tiny byte-level BPE fixture.
            var fixture = Path.Combine(Repo.Root, "tests", "fixtures", "tokenizers", "tiny-byte-bpe.json");
            return new TextModality(BuiltInComponents.Tokenizers.Create(name[5..], new Luma.Unified.Config.Options.DataOptions { TokenizerFile = fixture }));
        }
        var config = ConfigLoader.Load(null, [$"modalities.plugins=[{SamplePlugin.AssemblyPath}]"]);
        return ModalitySet.Build(config, new ByteTokenizer()).Single(m => m.Name == name);
    }

    private static SegmentRecord Sample(IModality modality) => modality.Name == "text"
        ? new SegmentRecord { Modality = "text", Text = "a small red circle at the top left. ünïcödé ✓" }
        : new SegmentRecord { Modality = modality.Name, Encoding = "f32le", Data = [.. Enumerable.Range(0, 50).SelectMany(i => BitConverter.GetBytes((float)Math.Sin(i / 5.0)))] };

    [Theory]
    [MemberData(nameof(Modalities))]
    public void EncodingGivesIdsInsideTheModalitysVocabulary(string name)
    {
        var modality = Create(name);

        var input = modality.Encode(Sample(modality));

        Assert.False(string.IsNullOrWhiteSpace(modality.Name));
        Assert.Equal(ModalityHead.Autoregressive, modality.Head);
        Assert.True(input.Length > 0);
        Assert.All(input.Tokens!, t => Assert.InRange(t, 0, modality.VocabSize - 1));
    }

    [Theory]
    [MemberData(nameof(Modalities))]
    public void DecodingWhatWasEncodedGivesASegmentThatEncodesTheSame(string name)
    {
        var modality = Create(name);
        var tokens = modality.Encode(Sample(modality));

        var decoded = modality.Decode(tokens);

        Assert.Equal(modality.Name, decoded.Modality);
        Assert.Equal(tokens.Tokens, modality.Encode(decoded).Tokens);
    }

    [Theory]
    [MemberData(nameof(Modalities))]
    public void AnUnusablePayloadIsAnInvalidDataError(string name)
    {
        var modality = Create(name);

        Assert.Throws<InvalidDataException>(() => modality.Encode(new SegmentRecord { Modality = modality.Name, Encoding = "nonsense", Data = [1, 2, 3] }));
    }
}

using Luma.Unified.Cli;
using Luma.Unified.Modalities.Text;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Cli;

public sealed class TokenizerCommandTests
{
    [Fact]
    public void TrainLearnsTheShapesWorldsWordsFromADataset()
    {
        using var temp = new TempDirectory();
        var dataset = temp.Combine("shapes");
        Assert.Equal(ExitCodes.Success, LumaProcess.InProcess("data", "synth", "--out", dataset, "--documents", "60", "--mix", "image=1", "--image-size", "16").ExitCode);

        var outcome = LumaProcess.InProcess("tokenizer", "train", dataset, "--out", temp.Combine("tok", "tokenizer.json"), "--vocab-size", "512");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Contains("from 60 text segments", outcome.Output, StringComparison.Ordinal);
        // 60 captions have fewer than 256 pairs worth merging: every word is one token well before 512 symbols.
        Assert.Contains("stopped below --vocab-size 512: no pair left occurs 2 times", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("merges:", outcome.Error, StringComparison.Ordinal);
        var tokenizer = HfBpeTokenizer.Load(temp.Combine("tok", "tokenizer.json"));
        // A caption is nine tokens (its words and the full stop) rather than its 39 bytes.
        Assert.Equal(9, tokenizer.Encode("a small blue star at the middle center.").Count);
    }

    [Fact]
    public void ATooSmallVocabularyAndAMissingDatasetAreNamed()
    {
        using var temp = new TempDirectory();

        var small = LumaProcess.InProcess("tokenizer", "train", temp.Path, "--out", temp.Combine("t.json"), "--vocab-size", "100");
        var missing = LumaProcess.InProcess("tokenizer", "train", temp.Combine("nowhere"), "--out", temp.Combine("t.json"));

        Assert.Equal(ExitCodes.UsageError, small.ExitCode);
        Assert.Contains("--vocab-size 100: must be at least 256", small.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.RuntimeFailure, missing.ExitCode);
        Assert.Contains("nowhere is not a Luma dataset", missing.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Combine("t.json")));
    }
}

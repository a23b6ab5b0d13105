using Luma.Unified.Backbone;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Loading;
using Luma.Unified.Model;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training;
using Luma.Unified.Training.Checkpointing;
using Luma.Unified.Training.Optimization;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Training;

public sealed class CheckpointStoreTests : TorchTest
{
    private static readonly ModelOptions s_options = new() { Dim = 32, Layers = 2, Heads = 4, KvHeads = 2, MaxSeqLen = 64 };

    private static UnifiedModel NewModel(long seed)
    {
        manual_seed(seed);
        return new UnifiedModel(s_options, TestVocabulary.Of(("text", 40)), new ComputePrecision());
    }

    [Fact]
    public void AReloadedModelGivesIdenticalLogits()
    {
        using var temp = new TempDirectory();
        var run = RunDirectory.Create(temp.Path, "run: {}\n");
        var store = new CheckpointStore(run, keepLast: 3);
        using var trained = NewModel(seed: 1);
        using var optimizer = OptimizerFactory.AdamW(trained, new TrainOptions());
        var state = new CheckpointState(7, new LoaderState(new MixerPosition(40, [new DocumentPosition(1, 3, 33)]), 1, 17), "abc", DateTimeOffset.UnixEpoch);

        var directory = store.Save(trained, optimizer, state, "run: {}\n");
        using var restored = NewModel(seed: 2);
        using var restoredOptimizer = OptimizerFactory.AdamW(restored, new TrainOptions());
        var loaded = CheckpointStore.Load(directory, restored, restoredOptimizer);

        using var tokens = tensor(new long[] { 1, 5, 9, 2, 30, 4 }, [1, 6]);
        using var positions = arange(6, dtype: ScalarType.Int64).unsqueeze(0);
        using var expected = trained.Logits(tokens, positions);
        using var actual = restored.Logits(tokens, positions);
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
        Assert.Equal(state with { Loader = null! }, loaded with { Loader = null!, FileSha256 = null });
        Assert.Equal(["config.yaml", "model.safetensors", "optimizer.pt", "rng.safetensors"], loaded.FileSha256!.Keys.Order());
        Assert.All(loaded.FileSha256.Values, hash => Assert.Matches("^[0-9a-f]{64}$", hash));
        Assert.Equal(state.Loader.Source.Sources, loaded.Loader.Source.Sources);
        Assert.Equal((40L, 1, 17), (loaded.Loader.Source.Draws, loaded.Loader.Segment, loaded.Loader.TokenOffset));
        Assert.Equal(directory, store.Latest());
    }

    private static CheckpointState StateAt(int step) =>
        new(step, new LoaderState(new MixerPosition(step, [DocumentPosition.Start]), 0, 0), "h", DateTimeOffset.UnixEpoch);

    private static string SaveAtStepFive(TempDirectory temp, UnifiedModel model)
    {
        var run = RunDirectory.Create(temp.Path, "run: {}\n");
        using var optimizer = OptimizerFactory.AdamW(model, new TrainOptions());
        return new CheckpointStore(run, keepLast: 3).Save(model, optimizer,
            StateAt(5), "run: {}\n");
    }

    [Theory]
    [InlineData("model.safetensors")]
    [InlineData("optimizer.pt")]
    [InlineData("config.yaml")]
    public void ACorruptedCheckpointIsRefusedWithTheFileNamed(string file)
    {
        using var temp = new TempDirectory();
        using var model = NewModel(seed: 1);
        var directory = SaveAtStepFive(temp, model);
        var path = Path.Combine(directory, file);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        using var other = NewModel(seed: 2);

        var error = Assert.Throws<InvalidDataException>(() => CheckpointStore.Load(directory, other, null));

        Assert.StartsWith($"{path} is corrupted: its SHA-256 is ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckpointWithADamagedStateFileIsRefusedWithItsName()
    {
        using var temp = new TempDirectory();
        using var model = NewModel(seed: 1);
        var directory = SaveAtStepFive(temp, model);
        File.WriteAllText(Path.Combine(directory, "state.json"), "{\"Step\": 5, \"Loa");

        var error = Assert.Throws<InvalidDataException>(() => CheckpointStore.Load(directory, model, null));

        Assert.StartsWith($"{Path.Combine(directory, "state.json")} is not a valid checkpoint state", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyCompleteCheckpointsCountAndRetentionKeepsTheNewest()
    {
        using var temp = new TempDirectory();
        var run = RunDirectory.Create(temp.Path, "run: {}\n");
        var store = new CheckpointStore(run, keepLast: 2);
        using var model = NewModel(seed: 1);
        using var optimizer = OptimizerFactory.AdamW(model, new TrainOptions());
        foreach (var step in new[] { 10, 20, 30 })
        {
            store.Save(model, optimizer, StateAt(step), "run: {}\n");
        }
        // A crash mid-save leaves a temporary directory and, at worst, a directory without state.json.
        Directory.CreateDirectory(Path.Combine(run.CheckpointsDirectory, ".tmp-step_00000040-123"));
        Directory.CreateDirectory(Path.Combine(run.CheckpointsDirectory, "step_00000050"));

        Assert.Equal(["step_00000020", "step_00000030"], store.List().Select(Path.GetFileName));
        Assert.EndsWith("step_00000030", store.Latest(), StringComparison.Ordinal);
        var error = Assert.Throws<FileNotFoundException>(() => CheckpointStore.Load(Path.Combine(run.CheckpointsDirectory, "step_00000050"), model, null));
        Assert.Contains("step_00000050", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeepEveryMilestonesSurviveKeepLast()
    {
        using var temp = new TempDirectory();
        var run = RunDirectory.Create(temp.Path, "run: {}\n");
        var store = new CheckpointStore(run, keepLast: 2, keepEvery: 20);
        using var model = NewModel(seed: 1);
        using var optimizer = OptimizerFactory.AdamW(model, new TrainOptions());

        foreach (var step in new[] { 10, 20, 30, 40, 50, 60, 70 })
        {
            store.Save(model, optimizer, StateAt(step), "run: {}\n");
        }

        // 20, 40, 60 are milestones; 60 and 70 are the newest two.
        Assert.Equal(["step_00000020", "step_00000040", "step_00000060", "step_00000070"], store.List().Select(Path.GetFileName));
    }

    [Fact]
    public void AFailedSaveIsReportedAndLeavesTheEarlierCheckpointUsable()
    {
        using var temp = new TempDirectory();
        var run = RunDirectory.Create(temp.Path, "run: {}\n");
        var store = new CheckpointStore(run, keepLast: 1);
        using var model = NewModel(seed: 1);
        using var optimizer = OptimizerFactory.AdamW(model, new TrainOptions());
        var earlier = store.Save(model, optimizer, StateAt(5), "run: {}\n");
        // A file where the save's temporary directory must go makes the save fail the way a broken disk would.
        File.WriteAllText(Path.Combine(run.CheckpointsDirectory, $".tmp-step_00000010-{Environment.ProcessId}"), "");

        var error = Assert.Throws<IOException>(() =>
            store.Save(model, optimizer, StateAt(10), "run: {}\n"));

        Assert.StartsWith($"could not save the step 10 checkpoint in {run.CheckpointsDirectory}: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(earlier checkpoints are intact)", error.Message, StringComparison.Ordinal);
        Assert.Equal([earlier], store.List());
        Assert.Equal(5, CheckpointStore.Load(earlier, model, optimizer).Step);
    }
}

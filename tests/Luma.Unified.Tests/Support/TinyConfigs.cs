using Luma.Unified.Config;

namespace Luma.Unified.Tests.Support;

/// <summary>Configs small enough for unit tests: the shipped tiny-text config shrunk by overrides.</summary>
public static class TinyConfigs
{
    /// <summary>A ~60k-parameter model that trains a step in a few milliseconds.</summary>
    public static readonly string[] SmallModel =
    [
        "model.dim=32", "model.layers=2", "model.heads=4", "model.kv_heads=2", "model.max_seq_len=256",
        "data.documents=2000", "data.seq_len=64", "train.micro_batch=8", "train.global_batch=8",
        "train.warmup_steps=2", "train.log_every=5", "train.eval_every=0", "run.threads=1",
    ];

    /// <summary>tiny-text.yaml with <see cref="SmallModel"/> and <paramref name="more"/> overrides applied.</summary>
    public static LoadedConfig Load(params string[] more) =>
        ConfigLoader.Load(Repo.Config("tiny-text.yaml"), [.. SmallModel, .. more]);
}

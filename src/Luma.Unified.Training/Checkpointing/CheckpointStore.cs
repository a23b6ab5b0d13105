using System.Globalization;
using System.Text.Json;
using Luma.Unified.Data.Loading;
using Luma.Unified.Model;
using Luma.Unified.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;

namespace Luma.Unified.Training.Checkpointing;

/// <summary>
/// Checkpoints under <c>RUN_DIR/checkpoints/step_NNNNNNNN/</c>: <c>model.safetensors</c> (readable by PyTorch's
/// safetensors), <c>optimizer.pt</c> (PyTorch pickle of the AdamW state), <c>rng.safetensors</c> (the torch RNG
/// state), <c>config.yaml</c> (the resolved config) and <c>state.json</c> (step, loader position, config fingerprint and the SHA-256 of every other file, verified on load).
/// A checkpoint is written into a hidden temporary directory, flushed to disk and renamed into place, so a
/// crash mid-save leaves the previous checkpoints untouched and never a half-written one under a real name.
/// </summary>
public sealed class CheckpointStore(RunDirectory run, int keepLast, int keepEvery = 0)
{
    private const string Prefix = "step_";
    private const string ModelFile = "model.safetensors";
    private const string OptimizerFile = "optimizer.pt";
    private const string StateFile = "state.json";
    private const string RngFile = "rng.safetensors";
    private const string ConfigFile = "config.yaml";
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>
    /// Saves a checkpoint and then deletes all but the newest <c>keepLast</c>, sparing those whose step is a multiple
    /// of <c>keepEvery</c> (milestones for later evaluation). Returns its directory. A null <paramref name="optimizer"/>
    /// (state sharded across ranks) writes no <c>optimizer.pt</c>; <paramref name="extraFiles"/> (each rank's optimizer
    /// shard) are written and checksummed beside the others.
    /// </summary>
    public string Save(UnifiedModel model, OptimizerHelper? optimizer, CheckpointState state, string resolvedConfigYaml, ExponentialMovingAverage? ema = null, IReadOnlyDictionary<string, byte[]>? extraFiles = null)
    {
        var final = Path.Combine(run.CheckpointsDirectory, $"{Prefix}{state.Step:D8}");
        var temporary = Path.Combine(run.CheckpointsDirectory, $".tmp-{Prefix}{state.Step:D8}-{Environment.ProcessId}");
        try
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
            Directory.CreateDirectory(temporary);
            WriteDurably(Path.Combine(temporary, ModelFile), stream => model.save_safetensors(stream, leaveOpen: true));
            List<string> files = [ModelFile, RngFile, ConfigFile];
            if (optimizer is not null)
            {
                WriteDurably(Path.Combine(temporary, OptimizerFile), stream => optimizer.save_py(stream, leaveOpen: true));
                files.Add(OptimizerFile);
            }
            using (var rng = torch.get_rng_state())
            {
                WriteDurably(Path.Combine(temporary, RngFile), stream => Safetensors.SaveStateDict(stream, new Dictionary<string, torch.Tensor> { ["cpu"] = rng }, leaveOpen: true));
            }
            WriteDurably(Path.Combine(temporary, ConfigFile), stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(resolvedConfigYaml)));
            if (ema is not null)
            {
                WriteDurably(Path.Combine(temporary, ExponentialMovingAverage.FileName), ema.Save);
                files.Add(ExponentialMovingAverage.FileName);
            }
            foreach (var (name, bytes) in extraFiles ?? new Dictionary<string, byte[]>())
            {
                WriteDurably(Path.Combine(temporary, name), stream => stream.Write(bytes));
                files.Add(name);
            }
            var checksums = files.ToDictionary(name => name, name => Sha256Of(Path.Combine(temporary, name)));
            // state.json last: its presence marks the checkpoint complete.
            WriteDurably(Path.Combine(temporary, StateFile), stream => JsonSerializer.Serialize(stream, state with { FileSha256 = checksums }, s_json));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk or a failing mount: drop the partial copy; the checkpoints already there stay as they were.
            TryDelete(temporary);
            throw new IOException($"could not save the step {state.Step} checkpoint in {run.CheckpointsDirectory}: {e.Message} (earlier checkpoints are intact)", e);
        }
        if (Directory.Exists(final))
        {
            // Saving a step again (e.g. after a resume) replaces the old copy only once the new one is complete.
            Directory.Delete(final, recursive: true);
        }
        Directory.Move(temporary, final);
        ApplyRetention();
        return final;
    }

    /// <summary>
    /// Saves a weights-only checkpoint of <paramref name="model"/> at <paramref name="step"/> — what an import of
    /// exported weights produces: enough to sample and evaluate, not to resume training (no optimizer, RNG or data
    /// position). Returns its directory.
    /// </summary>
    public string SaveWeights(UnifiedModel model, int step, string resolvedConfigYaml)
    {
        var final = Path.Combine(run.CheckpointsDirectory, $"{Prefix}{step:D8}");
        var temporary = Path.Combine(run.CheckpointsDirectory, $".tmp-{Prefix}{step:D8}-{Environment.ProcessId}");
        Directory.CreateDirectory(temporary);
        WriteDurably(Path.Combine(temporary, ModelFile), stream => model.save_safetensors(stream, leaveOpen: true));
        WriteDurably(Path.Combine(temporary, ConfigFile), stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(resolvedConfigYaml)));
        var checksums = new[] { ModelFile, ConfigFile }.ToDictionary(name => name, name => Sha256Of(Path.Combine(temporary, name)));
        var configHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(resolvedConfigYaml)));
        var state = new CheckpointState(step, new LoaderState(new MixerPosition(0, []), 0, 0), configHash, DateTimeOffset.UtcNow, checksums);
        WriteDurably(Path.Combine(temporary, StateFile), stream => JsonSerializer.Serialize(stream, state, s_json));
        Directory.Move(temporary, final);
        return final;
    }

    /// <summary>The resolved config a checkpoint was written with, or null for a checkpoint without one.</summary>
    public static string? ConfigOf(string directory)
    {
        var path = Path.Combine(directory, ConfigFile);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>Complete checkpoints, oldest first (temporary and partial directories are ignored).</summary>
    public IReadOnlyList<string> List()
    {
        if (!Directory.Exists(run.CheckpointsDirectory))
        {
            return [];
        }
        return [.. Directory.GetDirectories(run.CheckpointsDirectory, Prefix + "*")
            .Where(d => File.Exists(Path.Combine(d, StateFile)))
            .OrderBy(StepOf)];
    }

    /// <summary>The newest complete checkpoint, or null.</summary>
    public string? Latest() => List().LastOrDefault();

    /// <summary>
    /// Loads weights (and optimizer state when given) from <paramref name="directory"/>; returns its state. Every file
    /// is checked against the checksum in <c>state.json</c> first, so a corrupted checkpoint is refused by name
    /// instead of loading garbage.
    /// </summary>
    public static CheckpointState Load(string directory, UnifiedModel model, OptimizerHelper? optimizer, ExponentialMovingAverage? ema = null)
    {
        var statePath = Path.Combine(directory, StateFile);
        if (!File.Exists(statePath))
        {
            throw new FileNotFoundException($"{directory} is not a complete checkpoint: {StateFile} is missing.");
        }
        CheckpointState state;
        try
        {
            state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(statePath))
                ?? throw new InvalidDataException($"{statePath} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{statePath} is not a valid checkpoint state ({e.Message}); the checkpoint is damaged.");
        }
        foreach (var (name, expected) in state.FileSha256 ?? new Dictionary<string, string>())
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                throw new InvalidDataException($"{path} is missing; the checkpoint is damaged (resume from an earlier one).");
            }
            var actual = Sha256Of(path);
            if (actual != expected)
            {
                throw new InvalidDataException($"{path} is corrupted: its SHA-256 is {actual}, {StateFile} recorded {expected} (resume from an earlier checkpoint).");
            }
        }
        model.load_safetensors(Path.Combine(directory, ModelFile), strict: true);
        var emaPath = Path.Combine(directory, ExponentialMovingAverage.FileName);
        if (ema is not null && File.Exists(emaPath))
        {
            ema.Load(emaPath);
        }
        if (optimizer is not null)
        {
            var optimizerPath = Path.Combine(directory, OptimizerFile);
            if (!File.Exists(optimizerPath))
            {
                throw new InvalidDataException($"{directory} has no {OptimizerFile}: either it holds weights only (e.g. imported with `luma weights import`), which can be sampled and evaluated but not resumed, or its optimizer state is sharded across ranks (train.zero_stage 1), which resumes with the same number of ranks and zero_stage 1.");
            }
            OptimizerStateFile.Load(optimizer, optimizerPath);
            // Training resumes: continue the random stream where it was (dropout, sampling).
            var rngPath = Path.Combine(directory, RngFile);
            if (File.Exists(rngPath))
            {
                torch.set_rng_state(Safetensors.LoadStateDict(rngPath)["cpu"]);
            }
        }
        return state;
    }

    /// <summary>
    /// Loads <paramref name="directory"/> for sampling and evaluation: the weights, verified, replaced by the
    /// checkpoint's exponential moving average when it holds one. Returns the state and whether the EMA was used.
    /// </summary>
    public static (CheckpointState State, bool Ema) LoadForInference(string directory, UnifiedModel model)
    {
        var state = Load(directory, model, optimizer: null);
        var emaPath = Path.Combine(directory, ExponentialMovingAverage.FileName);
        if (!File.Exists(emaPath))
        {
            return (state, false);
        }
        model.load_safetensors(emaPath, strict: false);
        return (state, true);
    }

    private void ApplyRetention()
    {
        var complete = List();
        foreach (var old in complete.Take(Math.Max(0, complete.Count - keepLast)).Where(d => !IsMilestone(d)))
        {
            Directory.Delete(old, recursive: true);
        }
    }

    private bool IsMilestone(string directory) => keepEvery > 0 && StepOf(directory) % keepEvery == 0;

    private static int StepOf(string directory) => int.Parse(Path.GetFileName(directory)[Prefix.Length..], CultureInfo.InvariantCulture);

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leaving it is harmless: hidden temporary directories are never listed as checkpoints.
        }
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    private static void WriteDurably(string path, Action<Stream> write)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        write(stream);
        stream.Flush(flushToDisk: true);
    }
}

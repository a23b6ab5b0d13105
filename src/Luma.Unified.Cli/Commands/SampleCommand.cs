using System.CommandLine;
using Luma.Unified.Abstractions;
using Luma.Unified.Config;
using Luma.Unified.Model.Generation;
using Luma.Unified.Training;
using Luma.Unified.Training.Checkpointing;

namespace Luma.Unified.Cli.Commands;

/// <summary><c>luma sample</c>: continue a prompt with a trained checkpoint.</summary>
public static class SampleCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var checkpoint = new Option<string>("--checkpoint")
        {
            Description = "A run directory (its newest checkpoint is used) or one checkpoints/step_N directory.",
            Required = true,
        };
        var prompt = new Option<string>("--prompt") { Description = "Text to continue.", DefaultValueFactory = _ => "" };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Tokens to generate at most.", DefaultValueFactory = _ => 200 };
        var temperature = new Option<double>("--temperature") { Description = "Softmax temperature; 0 = greedy.", DefaultValueFactory = _ => 0.8 };
        var topK = new Option<int>("--top-k") { Description = "Sample from the k most likely tokens; 0 = all.", DefaultValueFactory = _ => 0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling threshold; 1 = off.", DefaultValueFactory = _ => 0.95 };
        var seed = new Option<long>("--seed") { Description = "Sampling seed.", DefaultValueFactory = _ => 0 };
        var noCache = new Option<bool>("--no-kv-cache") { Description = "Recompute the whole sequence every step (slow; for checking the cache)." };

        var command = new Command("sample", "Generate text from a trained checkpoint.");
        foreach (var option in new Option[] { checkpoint, prompt, maxNewTokens, temperature, topK, topP, seed, noCache })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var options = new SamplingOptions(parse.GetValue(maxNewTokens), parse.GetValue(temperature), parse.GetValue(topK), parse.GetValue(topP), parse.GetValue(seed));
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            var (runRoot, checkpointDirectory) = Locate(parse.GetValue(checkpoint)!);
            var run = RunDirectory.Open(runRoot);
            var config = ConfigLoader.Load(run.ConfigFile, []);
            var components = RunComponents.Build(config);
            var state = CheckpointStore.Load(checkpointDirectory, components.Model, optimizer: null);
            var tokenizer = components.Tokenizer;
            var text = parse.GetValue(prompt) ?? "";
            List<int> promptIds = [tokenizer.SpecialTokenId(SpecialTokens.BeginDocument), .. tokenizer.Encode(text)];
            var result = new TextGenerator(components.Model).Generate(
                promptIds, options, tokenizer.SpecialTokenId(SpecialTokens.EndDocument), useKvCache: !parse.GetValue(noCache));
            error.WriteLine($"checkpoint: {checkpointDirectory} (step {state.Step})");
            output.WriteLine(text + tokenizer.Decode(result.Tokens));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>(run directory, checkpoint directory) for a path that is either.</summary>
    private static (string Run, string Checkpoint) Locate(string path)
    {
        if (File.Exists(Path.Combine(path, "state.json")))
        {
            var runRoot = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path)))!;
            return (runRoot, path);
        }
        if (!Directory.Exists(path))
        {
            throw new UsageException($"--checkpoint {path}: no such directory; pass the --run-dir of a `luma train` run or one of its checkpoints/step_N directories.");
        }
        var run = RunDirectory.Open(path);
        var latest = new CheckpointStore(run, keepLast: int.MaxValue).Latest()
            ?? throw new FileNotFoundException($"{run.CheckpointsDirectory} holds no complete checkpoint yet.");
        return (run.Root, latest);
    }
}

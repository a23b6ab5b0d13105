using System.CommandLine;
using System.Globalization;
using Luma.Unified.Data.Format;
using Luma.Unified.Modalities.Text;

namespace Luma.Unified.Cli.Commands;

/// <summary><c>luma tokenizer train</c>: a byte-level BPE vocabulary learned from a dataset's text segments.</summary>
public static class TokenizerCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("tokenizer", "Learn a tokenizer from your data.");
        command.Subcommands.Add(Train(output, error));
        return command;
    }

    private static Command Train(TextWriter output, TextWriter error)
    {
        var datasets = new Argument<string[]>("datasets") { Description = "Dataset directories whose text segments to learn from.", Arity = ArgumentArity.OneOrMore };
        var outFile = new Option<string>("--out", "-o") { Description = "The tokenizer.json to write (data.tokenizer: hf-json, data.tokenizer_file: this path).", Required = true };
        var vocabSize = new Option<int>("--vocab-size") { Description = "Vocabulary size, the 256 byte symbols included (Luma's 8 special tokens come on top).", DefaultValueFactory = _ => 512 };
        var minFrequency = new Option<int>("--min-frequency") { Description = "A pair must occur this often to be merged.", DefaultValueFactory = _ => 2 };
        var command = new Command("train", "Learn a byte-level BPE (Hugging Face tokenizer.json) from the text segments of one or more datasets.");
        command.Arguments.Add(datasets);
        foreach (var option in new Option[] { outFile, vocabSize, minFrequency })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var size = parse.GetValue(vocabSize);
            if (size < BpeTrainer.AlphabetSize)
            {
                throw new UsageException($"--vocab-size {size}: must be at least {BpeTrainer.AlphabetSize}, the byte symbols every byte-level vocabulary starts with.");
            }
            if (parse.GetValue(minFrequency) < 1)
            {
                throw new UsageException($"--min-frequency {parse.GetValue(minFrequency)}: must be at least 1.");
            }
            var texts = new List<string>();
            foreach (var directory in parse.GetValue(datasets)!)
            {
                var dataset = ShardedDataset.Open(directory);
                ConsoleProgress.RunAsync($"read {Path.GetFileName(Path.GetFullPath(directory))}", dataset.Manifest.Documents, error, async progress =>
                {
                    var done = 0L;
                    await foreach (var (_, _, document) in dataset.ReadAllAsync())
                    {
                        texts.AddRange(document.Segments.Where(s => s.Modality == Segments.Text && !string.IsNullOrEmpty(s.Text)).Select(s => s.Text!));
                        progress.Report(++done);
                    }
                    return done;
                }).GetAwaiter().GetResult();
            }
            if (texts.Count == 0)
            {
                throw new UsageException($"{string.Join(", ", parse.GetValue(datasets)!)}: no text segments to learn from.");
            }
            var vocabulary = ConsoleProgress.RunAsync("merges", size - BpeTrainer.AlphabetSize, error, progress =>
                Task.FromResult(BpeTrainer.Train(texts, size, parse.GetValue(minFrequency), progress))).GetAwaiter().GetResult();
            var path = Path.GetFullPath(parse.GetValue(outFile)!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, vocabulary.ToTokenizerJson());
            File.Move(temporary, path, overwrite: true);
            var stoppedEarly = vocabulary.Vocab.Count < size
                ? $"; stopped below --vocab-size {size}: no pair left occurs {parse.GetValue(minFrequency)} times"
                : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"learned {vocabulary.Vocab.Count} symbols ({vocabulary.Merges.Count} merges) from {texts.Count:N0} text segments into {path}{stoppedEarly}"));
            return ExitCodes.Success;
        }));
        return command;
    }
}

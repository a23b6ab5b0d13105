using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Training.Weights;

namespace Luma.Unified.Cli.Commands;

/// <summary>
/// <c>luma weights export|import</c>: the unified model's or a codec's weights as one safetensors file under PyTorch
/// names (docs/weights.md), with what rebuilding the module needs in the header metadata, and back.
/// </summary>
public static class WeightsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("weights", "Export model or codec weights to a safetensors file PyTorch can read, and import such a file back.");
        command.Subcommands.Add(Export(output, error));
        command.Subcommands.Add(Import(output, error));
        return command;
    }

    private static Command Export(TextWriter output, TextWriter error)
    {
        var source = new Argument<string>("SOURCE") { Description = "A run directory (its newest checkpoint), one checkpoints/step_N directory, or a codec directory (from `luma codec train`)." };
        var outFile = new Option<string>("--out", "-o") { Description = "The .safetensors file to write.", Required = true };
        var raw = new Option<bool>("--raw") { Description = "Unified model: export the optimizer's weights even when the checkpoint holds an EMA (the default exports the EMA)." };
        var command = new Command("export", "Write the weights of a trained unified model (EMA by default) or of a codec to one safetensors file with its config in the metadata.") { source, outFile, raw };
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var path = parse.GetValue(source)!;
            var file = parse.GetValue(outFile)!;
            if (!Directory.Exists(path))
            {
                throw new UsageException($"{path}: no such directory; pass a run directory, a checkpoints/step_N directory or a codec directory.");
            }
            var clock = Stopwatch.StartNew();
            string what;
            if (CodecStore.IsCodec(path))
            {
                if (parse.GetValue(raw))
                {
                    throw new UsageException($"--raw applies to unified-model checkpoints; {path} is a codec, which has one set of weights.");
                }
                what = CodecWeights.Export(path, file);
            }
            else
            {
                var trained = TrainedCheckpoint.Open(path, error, preferEma: !parse.GetValue(raw));
                UnifiedModelWeights.Export(trained.Components, trained.Step, trained.Ema, trained.Directory, file);
                what = $"{WeightsMetadata.UnifiedModelKind} (step {trained.Step}, {(trained.Ema ? "EMA" : "raw")} weights)";
            }
            var header = ExportedWeights.Read(file);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{file}: {what}, {header.Tensors.Count} tensors, {new FileInfo(file).Length / 1e6:0.0} MB in {clock.Elapsed.TotalSeconds:0.0} s"));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Import(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "A .safetensors file written by `luma weights export`." };
        var outDirectory = new Option<string>("--out", "-o") { Description = "Unified model: the run directory to create (for luma sample/eval); codec: the codec directory.", Required = true };
        var overrides = new Option<string[]>("--set")
        {
            Description = "Unified model: override a value of the exported config, e.g. --set modalities.options.image.codec=DIR when the codec lives elsewhere (repeatable).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("import", "Rebuild the model or codec an exported file describes, check every tensor's name, dtype and shape, and save it where luma can use it.") { file, outDirectory, overrides };
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var weights = ExportedWeights.Read(parse.GetValue(file)!);
            var destination = parse.GetValue(outDirectory)!;
            var settings = parse.GetValue(overrides) ?? [];
            if (weights.Kind == WeightsMetadata.UnifiedModelKind)
            {
                var checkpoint = UnifiedModelWeights.Import(weights, destination, settings);
                output.WriteLine($"{destination}: run directory with checkpoint {checkpoint} (luma sample|eval --checkpoint {destination})");
                return ExitCodes.Success;
            }
            if (settings.Length > 0)
            {
                throw new UsageException($"--set applies to unified-model imports; {weights.File} holds {weights.Kind} weights.");
            }
            CodecWeights.Import(weights.File, weights, destination);
            output.WriteLine($"{destination}: {weights.Kind} (modalities.options.NAME.codec: {destination})");
            return ExitCodes.Success;
        }));
        return command;
    }
}

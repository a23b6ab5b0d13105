using Luma.Unified.Abstractions;
using Luma.Unified.Backbone;
using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Loading;
using Luma.Unified.Model;
using Luma.Unified.Model.Inputs;
using Luma.Unified.Runtime;
using Luma.Unified.Runtime.Performance;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Training;

/// <summary>The parts a config assembles, shared by training, sampling and evaluation.</summary>
public sealed record RunComponents(LoadedConfig Config, ITokenizer Tokenizer, IReadOnlyList<IModality> Modalities, UnifiedModel Model, TorchSession Session, PrecisionChoice Precision)
{
    /// <summary>
    /// Resolves the tokenizer (a bad name is a <see cref="ConfigException"/> naming its key), seeds torch,
    /// and builds the model on the configured device with the configured compute precision (<c>auto</c> resolved by measuring).
    /// </summary>
    public static RunComponents Build(LoadedConfig config)
    {
        var options = config.Options;
        var session = TorchRuntime.Start(options.Run.Device, options.Run.Threads);
        var tokenizer = Resolve(BuiltInComponents.Tokenizers, options.Data.Tokenizer, "data.tokenizer", config.SourceOf("data.tokenizer"), options.Data);
        var modalities = ModalitySet.Build(config, tokenizer);
        var choice = PrecisionChoice.Resolve(options.Train.Precision, session.Device);
        manual_seed(options.Run.Seed);
        var precision = new ComputePrecision(choice.ComputeDtype);
        var latents = modalities.Where(m => m.Head == ModalityHead.Diffusion).Select(m => new LatentModality(m.Name, m.LatentChannels, m.LatentGridSide)).ToList();
        var model = new UnifiedModel(options.Model, new VocabularyLayout(modalities), precision, options.Diffusion, latents);
        model.to(session.Device);
        return new RunComponents(config, tokenizer, modalities, model, session, choice);
    }

    /// <summary>
    /// A loader over the configured source for rank <paramref name="rank"/> of <paramref name="worldSize"/>;
    /// <paramref name="heldOut"/> selects the validation documents instead of the training ones.
    /// </summary>
    public DataLoader Loader(bool heldOut, int rank, int worldSize, int batchRows, long seed, Action<string>? onSkip = null)
    {
        var data = Config.Options.Data;
        var include = DocumentFilter.HoldOut(data.ValidationFraction, heldOut);
        var context = new DocumentSourceContext(data, seed, rank, worldSize, include, Config.SourceOf("data.paths"));
        var streams = Resolve(BuiltInComponents.DocumentSources, data.Source, "data.source", Config.SourceOf("data.source"), context);
        var mixer = new DocumentMixer([.. streams.Select(s => s.Stream)], [.. streams.Select(s => s.Weight)], seed);
        // Loaded modalities (text, codec media, plugins) enter the sequence; media without a loaded codec are skipped.
        var encoder = new DocumentEncoder(Tokenizer, Modalities, new MediaGeometry(), includeMedia: false);
        return new DataLoader(mixer, encoder, data.SeqLen, batchRows, data.DecodeWorkers, data.Prefetch, data.OnError, onSkip);
    }

    private static T Resolve<T, TContext>(Registry<T, TContext> registry, string name, string key, string source, TContext context) =>
        registry.Contains(name)
            ? registry.Create(name, context)
            : throw ConfigException.At(source, key, name, registry.UnknownNameMessage(name));
}

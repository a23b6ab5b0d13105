using Luma.Unified.Abstractions;
using Luma.Unified.Backbone;
using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Model;
using Luma.Unified.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Training;

/// <summary>The parts a config assembles, shared by training, sampling and evaluation.</summary>
public sealed record RunComponents(ITokenizer Tokenizer, IDocumentSource Documents, UnifiedModel Model, TorchSession Session)
{
    /// <summary>
    /// Resolves registry names (a bad name is a <see cref="ConfigException"/> naming its key), seeds torch,
    /// and builds the model on the configured device with the configured compute precision.
    /// </summary>
    public static RunComponents Build(LumaConfig config, string configSource)
    {
        var session = TorchRuntime.Start(config.Run.Device, config.Run.Threads);
        var tokenizer = Resolve(BuiltInComponents.Tokenizers, config.Data.Tokenizer, "data.tokenizer", configSource, config.Data);
        var documents = Resolve(BuiltInComponents.DocumentSources, config.Data.Source, "data.source", configSource, new DocumentSourceContext(config.Data, config.Run.Seed));
        manual_seed(config.Run.Seed);
        var precision = new ComputePrecision(config.Train.Precision == Precision.Bf16Mixed ? ScalarType.BFloat16 : ScalarType.Float32);
        var model = new UnifiedModel(config.Model, tokenizer.VocabSize, precision);
        model.to(session.Device);
        return new RunComponents(tokenizer, documents, model, session);
    }

    private static T Resolve<T, TContext>(Registry<T, TContext> registry, string name, string key, string source, TContext context) =>
        registry.Contains(name)
            ? registry.Create(name, context)
            : throw ConfigException.At(source, key, name, registry.UnknownNameMessage(name));
}

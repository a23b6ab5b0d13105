using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Config;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void TheShippedTinyTextConfigLoadsWithItsValues()
    {
        var config = ConfigLoader.Load(Repo.Config("tiny-text.yaml"), []).Options;

        Assert.Equal("tiny-text", config.Run.Name);
        Assert.Equal(192, config.Model.Dim);
        Assert.Equal(2, config.Model.KvHeads);
        Assert.Equal(3e-3, config.Train.Lr);
        Assert.Equal(Precision.Fp32, config.Train.Precision);
        Assert.Equal(DeviceRequest.Auto, config.Run.Device);
    }

    [Fact]
    public void MissingKeysTakeTheDefaultsOfTheOptionRecords()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("partial.yaml");
        File.WriteAllText(path, "model:\n  dim: 256\n");

        var config = ConfigLoader.Load(path, []).Options;

        Assert.Equal(256, config.Model.Dim);
        Assert.Equal(new ModelOptions().Layers, config.Model.Layers);
        Assert.Equal(new TrainOptions().Steps, config.Train.Steps);
        Assert.Equal(704, config.Model.ResolvedMlpHidden); // 8/3 · 256 = 682.7, rounded up to a multiple of 64
    }

    [Fact]
    public void DottedOverridesReplaceFileValuesAndParseAsYaml()
    {
        var config = ConfigLoader.Load(Repo.Config("tiny-text.yaml"),
            ["model.layers=6", "train.lr=1e-4", "train.min_lr=1e-5", "train.precision=bf16-mixed", "run.name=my run", "run.device=cpu"]).Options;

        Assert.Equal(6, config.Model.Layers);
        Assert.Equal(1e-4, config.Train.Lr);
        Assert.Equal(Precision.Bf16Mixed, config.Train.Precision);
        Assert.Equal("my run", config.Run.Name);
        Assert.Equal(DeviceRequest.Cpu, config.Run.Device);
    }

    [Fact]
    public void AnUnknownKeyIsNamedWithASuggestion()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Repo.Config("tiny-text.yaml"), ["model.dimm=64"]));

        Assert.Contains("model.dimm", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown key", error.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'model.dim'?", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("--set model.dimm=64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyInTheWrongSectionPointsToTheRightOne()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(null, ["model.warmup_steps=5"]));

        Assert.Contains("Did you mean 'train.warmup_steps'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMisspeltSectionInAFileIsNamedWithFileAndLine()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("bad.yaml");
        File.WriteAllText(path, "run:\n  seed: 1\nmodle:\n  dim: 64\n");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, []));

        Assert.StartsWith($"{path}:3: modle: unknown key. Did you mean 'model'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValueOfTheWrongTypeNamesFileLineKeyValueAndExpectation()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("bad.yaml");
        File.WriteAllText(path, "model:\n  dim: 64\n  layers: four\n");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, []));

        Assert.Equal($"{path}:3: model.layers = 'four': expected an integer between 1 and 1024.", error.Message);
    }

    [Theory]
    [InlineData("model.dim=0", "model.dim = '0': expected an integer between 8 and 65536.")]
    [InlineData("train.precision=fp16", "train.precision = 'fp16': expected one of fp32, bf16-mixed, auto.")]
    [InlineData("run.device=tpu", "run.device = 'tpu': expected one of auto, cpu, cuda.")]
    [InlineData("train.lr=fast", "train.lr = 'fast': expected a number between 0 and 10.")]
    [InlineData("model.heads=5", "model.heads = '5': heads (5) must divide dim (192)")]
    [InlineData("train.global_batch=20", "train.global_batch = '20': global_batch (20) must be a multiple of micro_batch (16) × ranks")]
    [InlineData("model.dim=", "model.dim: no value given: expected an integer between 8 and 65536.")]
    [InlineData("model={a: 1}", "model.a: unknown key.")]
    [InlineData("model.dim=[1, 2]", "model.dim: expected an integer between 8 and 65536, got a list.")]
    [InlineData("data.paths=somewhere", "data.paths = 'somewhere': expected a list (each a string), e.g. [a, b].")]
    [InlineData("data.weights=[1, heavy]", "data.weights[1] = 'heavy': expected a number.")]
    [InlineData("data.weights=[1]", "data.weights = '[1]': weights has 1 entries but paths has 0")]
    [InlineData("data.on_error=ignore", "data.on_error = 'ignore': expected one of fail, skip.")]
    public void EachKindOfBadValueGetsItsOwnMessage(string assignment, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Repo.Config("tiny-text.yaml"), [assignment]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model.dim", "expected KEY=VALUE")]
    [InlineData("model..dim=3", "is not a dotted key")]
    public void AMalformedOverrideIsAnError(string assignment, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(null, [assignment]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidYamlNamesTheFileAndLine()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("broken.yaml");
        File.WriteAllText(path, "model:\n  dim: 64\n   layers: [1, 2\n");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, []));

        Assert.StartsWith($"{path}:", error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load("no/such/config.yaml", []));

        Assert.Equal("no/such/config.yaml: config file not found.", error.Message);
    }

    [Fact]
    public void TheResolvedYamlLoadsBackToTheSameOptions()
    {
        var original = ConfigLoader.Load(Repo.Config("tiny-text.yaml"), ["train.precision=bf16-mixed", "model.norm_eps=1e-6", "data.paths=[a, b/c]", "data.weights=[0.25, 0.75]", "train.loss_weights={text: 2.5}"]);
        using var temp = new TempDirectory();
        var path = temp.Combine("resolved.yaml");
        File.WriteAllText(path, original.ToYaml());

        var reloaded = ConfigLoader.Load(path, []);

        Assert.Equal(original.ToYaml(), reloaded.ToYaml());
        Assert.Equal(original.Options.Model, reloaded.Options.Model);
        // A mapping option remembers the line it came from, so it is compared by content.
        Assert.Equal(original.Options.Train, reloaded.Options.Train with { LossWeights = original.Options.Train.LossWeights });
        Assert.Equal("2.5", ((ConfigScalar)reloaded.Options.Train.LossWeights.Get("text")!).Text);
        Assert.Contains("precision: bf16-mixed", original.ToYaml(), StringComparison.Ordinal);
        Assert.Contains("kv_heads: 2", original.ToYaml(), StringComparison.Ordinal);
        Assert.Equal(["a", "b/c"], reloaded.Options.Data.Paths);
        Assert.Equal([0.25, 0.75], reloaded.Options.Data.Weights);
    }
}

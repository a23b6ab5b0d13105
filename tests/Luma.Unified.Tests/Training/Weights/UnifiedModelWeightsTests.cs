using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Luma.Unified.Cli.Commands;
using Luma.Unified.Config;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training.Weights;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Training.Weights;

[Collection(TinyShapesCollection.Name)]
public sealed class UnifiedModelWeightsTests(TinyShapesRun trained) : TorchTest
{
    [Fact]
    public void ExportThenImportGivesBitwiseIdenticalLogitsAndVelocity()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("model.safetensors");

        var export = LumaProcess.InProcess("weights", "export", trained.Run.Root, "--out", file);
        var import = LumaProcess.InProcess("weights", "import", file, "--out", temp.Combine("imported"));

        Assert.True(export.ExitCode == 0, export.Error);
        Assert.True(import.ExitCode == 0, import.Error);
        var original = TrainedCheckpoint.Open(trained.Run.Root, TextWriter.Null);
        var imported = TrainedCheckpoint.Open(temp.Combine("imported"), TextWriter.Null);
        Assert.True(original.Ema);
        Assert.Equal(original.Step, imported.Step);
        var (logitsA, velocityA) = Outputs(original);
        var (logitsB, velocityB) = Outputs(imported);
        Assert.True(logitsA.SequenceEqual(logitsB), "logits differ after the round trip");
        Assert.True(velocityA.SequenceEqual(velocityB), "velocities differ after the round trip");
    }

    [Fact]
    public void RawExportHoldsTheOptimizersWeightsNotTheEma()
    {
        using var temp = new TempDirectory();

        Assert.Equal(0, LumaProcess.InProcess("weights", "export", trained.Run.Root, "--out", temp.Combine("ema.safetensors")).ExitCode);
        Assert.Equal(0, LumaProcess.InProcess("weights", "export", trained.Run.Root, "--raw", "--out", temp.Combine("raw.safetensors")).ExitCode);

        Assert.Equal("ema", ExportedWeights.Read(temp.Combine("ema.safetensors")).Metadata["weights"]);
        Assert.Equal("raw", ExportedWeights.Read(temp.Combine("raw.safetensors")).Metadata["weights"]);
        var raw = TrainedCheckpoint.Open(trained.Run.Root, TextWriter.Null, preferEma: false);
        Assert.Equal(Bytes(raw.Components.Model.state_dict()["tokenEmbedding.weight"]), PlainSafetensors.Read(temp.Combine("raw.safetensors")).TensorBytes("token_embedding.weight"));
        Assert.NotEqual(PlainSafetensors.Read(temp.Combine("ema.safetensors")).TensorBytes("token_embedding.weight"), PlainSafetensors.Read(temp.Combine("raw.safetensors")).TensorBytes("token_embedding.weight"));
    }

    [Fact]
    public void TheExportIsPlainSafetensorsWithPyTorchNamesAndTheConfigInItsMetadata()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("model.safetensors");
        Assert.Equal(0, LumaProcess.InProcess("weights", "export", trained.Run.Root, "--out", file).ExitCode);

        var parsed = PlainSafetensors.Read(file);

        var model = TrainedCheckpoint.Open(trained.Run.Root, TextWriter.Null).Components.Model;
        var state = model.state_dict();
        Assert.Equal(state.Keys.Select(PyTorchNames.Of).Order(), parsed.Tensors.Keys.Order());
        Assert.Contains("backbone.blocks.0.attention_norm.weight", parsed.Tensors.Keys);
        Assert.Contains("velocity_heads.image.projection.weight", parsed.Tensors.Keys);
        foreach (var (key, tensor) in state)
        {
            var (dtype, shape, _) = parsed.Tensors[PyTorchNames.Of(key)];
            Assert.Equal("F32", dtype);
            Assert.Equal(tensor.shape, shape);
            Assert.Equal(Bytes(tensor), parsed.TensorBytes(PyTorchNames.Of(key)));
        }
        Assert.Equal("unified-model", parsed.Metadata["kind"]);
        Assert.Equal("ema", parsed.Metadata["weights"]);
        Assert.Equal(trained.Config.ToYaml(), parsed.Metadata["config"]);
        Assert.Equal(trained.Config.Options.Model.Dim, ConfigLoader.Load(WriteText(temp.Combine("c.yaml"), parsed.Metadata["config"]), []).Options.Model.Dim);
        Assert.StartsWith("[{\"modality\":\"text\",\"offset\":0,", parsed.Metadata["vocabulary"], StringComparison.Ordinal);
    }

    [Fact]
    public void AnImportedCheckpointSamplesButRefusesToResumeTraining()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("model.safetensors");
        Assert.Equal(0, LumaProcess.InProcess("weights", "export", trained.Run.Root, "--out", file).ExitCode);
        Assert.Equal(0, LumaProcess.InProcess("weights", "import", file, "--out", temp.Combine("imported")).ExitCode);

        var sample = LumaProcess.InProcess("sample", "--checkpoint", temp.Combine("imported"), "--task", "image", "--prompt", "a small red circle.", "--steps", "2", "--out", temp.Combine("samples"));
        var resume = LumaProcess.InProcess("train", "--config", temp.Combine("imported", "config.yaml"), "--run-dir", temp.Combine("imported"), "--resume", "auto");

        Assert.True(sample.ExitCode == 0, sample.Error);
        Assert.True(File.Exists(temp.Combine("samples", "image-000-0-image.png")));
        Assert.Equal(1, resume.ExitCode);
        Assert.Contains("holds weights only", resume.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadImportsAreRefusedNamingTheFileAndTheTensor()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("model.safetensors");
        Assert.Equal(0, LumaProcess.InProcess("weights", "export", trained.Run.Root, "--out", file).ExitCode);
        var checkpointWeights = Path.Combine(Directory.GetDirectories(trained.Run.CheckpointsDirectory).Max()!, "model.safetensors");
        File.WriteAllBytes(temp.Combine("text.safetensors"), Encoding.UTF8.GetBytes("not weights"));

        var missing = LumaProcess.InProcess("weights", "import", temp.Combine("nope.safetensors"), "--out", temp.Combine("a"));
        var notSafetensors = LumaProcess.InProcess("weights", "import", temp.Combine("text.safetensors"), "--out", temp.Combine("b"));
        var noMetadata = LumaProcess.InProcess("weights", "import", checkpointWeights, "--out", temp.Combine("c"));
        var wider = LumaProcess.InProcess("weights", "import", file, "--out", temp.Combine("d"), "--set", "model.dim=64", "--set", "model.heads=8");
        var deeper = LumaProcess.InProcess("weights", "import", file, "--out", temp.Combine("e"), "--set", "model.layers=3");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"{temp.Combine("nope.safetensors")}: no such file.", missing.Error, StringComparison.Ordinal);
        Assert.Contains($"{temp.Combine("text.safetensors")} is not a safetensors file", notSafetensors.Error, StringComparison.Ordinal);
        Assert.Contains($"{checkpointWeights} is a safetensors file without Luma export metadata", noMetadata.Error, StringComparison.Ordinal);
        Assert.Equal(1, wider.ExitCode);
        Assert.Contains($"{file}: tensor 'token_embedding.weight' has shape [", wider.Error, StringComparison.Ordinal);
        Assert.Contains(", 32]; the unified model its config describes expects [", wider.Error, StringComparison.Ordinal);
        Assert.Contains($"{file} has no tensor 'backbone.blocks.2.attention_norm.weight'", deeper.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("d")), "a failed import leaves no run directory behind");
    }

    private static (float[] Logits, float[] Velocity) Outputs(TrainedCheckpoint checkpoint)
    {
        var model = checkpoint.Components.Model;
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator(11);
        var tokens = randint(0, 200, [2, 24], generator: generator);
        var positions = arange(24).unsqueeze(0).expand(2, 24);
        var logits = model.Logits(tokens, positions);
        var channels = model.Latents[0].Channels;
        var hidden = randn([10, model.Backbone.Shape.Dim], generator: generator);
        var velocity = model.Velocity("image", hidden, randn([10, channels], generator: generator), rand([10], generator: generator));
        return (logits.data<float>().ToArray(), velocity.data<float>().ToArray());
    }

    private static byte[] Bytes(Tensor tensor) => tensor.contiguous().bytes.ToArray();

    private static string WriteText(string path, string text)
    {
        File.WriteAllText(path, text);
        return path;
    }
}

/// <summary>
/// A safetensors reader written from the format's definition alone — 8-byte little-endian header length, a JSON
/// header of name → {dtype, shape, data_offsets} plus optional <c>__metadata__</c>, then the data — so the exports
/// are checked without the library that wrote them.
/// </summary>
internal sealed record PlainSafetensors(IReadOnlyDictionary<string, string> Metadata, IReadOnlyDictionary<string, (string Dtype, long[] Shape, long[] Offsets)> Tensors, byte[] Data)
{
    private static readonly Dictionary<string, int> s_elementSize = new() { ["F32"] = 4, ["BF16"] = 2, ["F16"] = 2, ["I64"] = 8, ["I32"] = 4, ["U8"] = 1, ["BOOL"] = 1 };

    public static PlainSafetensors Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var metadata = new Dictionary<string, string>();
        var tensors = new Dictionary<string, (string, long[], long[])>();
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                foreach (var item in entry.Value.EnumerateObject())
                {
                    metadata[item.Name] = item.Value.GetString()!;
                }
                continue;
            }
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var dtype = entry.Value.GetProperty("dtype").GetString()!;
            if (offsets[1] - offsets[0] != shape.Aggregate(1L, (a, b) => a * b) * s_elementSize[dtype])
            {
                throw new InvalidDataException($"{path}: {entry.Name} spans {offsets[1] - offsets[0]} bytes, not its shape's size.");
            }
            tensors[entry.Name] = (dtype, shape, offsets);
        }
        var data = bytes[(8 + headerLength)..];
        var covered = tensors.Values.Select(t => t.Item3).OrderBy(o => o[0]).ToList();
        for (var i = 0; i < covered.Count; i++)
        {
            if (covered[i][0] != (i == 0 ? 0 : covered[i - 1][1]))
            {
                throw new InvalidDataException($"{path}: the tensors' byte ranges leave a gap or overlap at {covered[i][0]}.");
            }
        }
        if (covered.Count > 0 && covered[^1][1] != data.Length)
        {
            throw new InvalidDataException($"{path}: the data is {data.Length} bytes but the tensors end at {covered[^1][1]}.");
        }
        return new PlainSafetensors(metadata, tensors, data);
    }

    public byte[] TensorBytes(string name) => Data[(int)Tensors[name].Offsets[0]..(int)Tensors[name].Offsets[1]];
}

using System.Reflection;
using Luma.Unified.Abstractions;
using Luma.Unified.Config;
using Luma.Unified.Modalities.Plugins;
using Luma.Unified.Modalities.Text;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training;

namespace Luma.Unified.Tests.Modalities.Plugins;

public sealed class PluginLoadingTests
{
    private static IReadOnlyList<IModality> Build(params string[] overrides) =>
        ModalitySet.Build(ConfigLoader.Load(Repo.Config("tiny-text.yaml"), overrides), new ByteTokenizer());

    [Fact]
    public void TheSamplePluginLoadsByPathWithItsOptionsFromTheConfig()
    {
        var modalities = Build($"modalities.plugins=[{SamplePlugin.AssemblyPath}]", "modalities.options={sensor: {bins: 16, min: -2, max: 2}}");

        Assert.Equal(["text", "sensor"], modalities.Select(m => m.Name));
        var sensor = modalities[1];
        Assert.Equal((ModalityHead.Autoregressive, 16), (sensor.Head, sensor.VocabSize));
        // Bins of width 0.25 over [-2, 2): -2 → 0, 0 → 8, 1.9 → 15.
        var segment = new SegmentRecord { Modality = "sensor", Encoding = "f32le", Data = [.. new[] { -2f, 0f, 1.9f }.SelectMany(BitConverter.GetBytes)] };
        Assert.Equal([0, 8, 15], sensor.Encode(segment).Tokens);
        // The plugin's types live in their own load context; the seams it implements are the host's.
        Assert.NotSame(typeof(PluginLoadingTests).Assembly, sensor.GetType().Assembly);
        Assert.Equal("luma-plugin:Luma.Unified.SamplePlugin.dll", System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(sensor.GetType().Assembly)!.Name);
    }

    [Fact]
    public void WithoutOptionsThePluginUsesItsDefaults()
    {
        var sensor = Build($"modalities.plugins=[{SamplePlugin.AssemblyPath}]")[1];

        Assert.Equal(64, sensor.VocabSize);
    }

    [Fact]
    public void AMissingFileIsAConfigErrorNamingTheKey()
    {
        var error = Assert.Throws<ConfigException>(() => Build("modalities.plugins=[/no/such/plugin.dll]"));

        Assert.Contains("modalities.plugins[0] = '/no/such/plugin.dll'", error.Message, StringComparison.Ordinal);
        Assert.Contains("plugin assembly /no/such/plugin.dll does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotAnAssemblyIsNamed()
    {
        using var temp = new TempDirectory();
        var fake = temp.Combine("fake.dll");
        File.WriteAllText(fake, "not a PE file");

        var error = Assert.Throws<PluginLoadException>(() => ModalityPluginLoader.Load(fake));
        Assert.Equal($"{fake} is not a .NET assembly.", error.Message);
    }

    [Fact]
    public void AnAssemblyWithoutAPluginTypeIsNamed()
    {
        var data = typeof(Luma.Unified.Data.Format.DatasetManifest).Assembly.Location;

        var error = Assert.Throws<PluginLoadException>(() => ModalityPluginLoader.Load(data));
        Assert.Equal($"{data} has no public class implementing IModalityPlugin.", error.Message);
    }

    [Fact]
    public void APluginBuiltAgainstAnotherApiVersionIsRefused()
    {
        var seams = typeof(IModality).Assembly.GetName();
        ModalityPluginLoader.CheckCompatible("ok.dll", seams);

        var newer = new AssemblyName(seams.FullName) { Version = new Version(PluginApi.Version + 1, 0, 0, 0) };
        var error = Assert.Throws<PluginLoadException>(() => ModalityPluginLoader.CheckCompatible("future.dll", newer));
        Assert.Equal($"future.dll was built against plugin API {PluginApi.Version + 1}, but this Luma provides plugin API {PluginApi.Version}; rebuild the plugin against this version of Luma.Unified.Abstractions.", error.Message);
        Assert.Contains("does not reference Luma.Unified.Abstractions", Assert.Throws<PluginLoadException>(() => ModalityPluginLoader.CheckCompatible("other.dll", null)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("modalities.options={sensor: {bns: 8}}", "modalities.options.sensor.bns: unknown key. Did you mean 'modalities.options.sensor.bins'?")]
    [InlineData("modalities.options={sensor: {bins: many}}", "modalities.options.sensor.bins = 'many': expected an integer.")]
    [InlineData("modalities.options={lidar: {beams: 8}}", "modalities.options.lidar: no plugin modality is named 'lidar' (loaded: sensor; built in: image, video, audio).")]
    public void BadPluginOptionsAreConfigErrors(string options, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Build($"modalities.plugins=[{SamplePlugin.AssemblyPath}]", options));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoPluginsCannotProvideTheSameModality()
    {
        var error = Assert.Throws<ConfigException>(() => Build($"modalities.plugins=[{SamplePlugin.AssemblyPath}, {SamplePlugin.AssemblyPath}]"));

        Assert.Contains("modalities.plugins[1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("provides modality 'sensor', which is already provided.", error.Message, StringComparison.Ordinal);
    }
}

using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Config;

public sealed class ConfigurationDocsTests
{
    [Fact]
    public void EveryConfigKeyIsDocumentedWithItsDefault()
    {
        var docs = File.ReadAllText(Path.Combine(Repo.Root, "docs", "configuration.md"));
        var defaults = ConfigTree.Parse(ConfigWriter.ToYaml(new LumaConfig()), "defaults");

        foreach (var key in ConfigBinder.LeafKeys(typeof(LumaConfig)))
        {
            var row = docs.Split('\n').FirstOrDefault(l => l.StartsWith($"| `{key}` |", StringComparison.Ordinal));
            Assert.True(row is not null, $"docs/configuration.md has no row for {key}");
            var parts = key.Split('.');
            var value = ((ConfigMapping)defaults.Get(parts[0])!).Get(parts[1]) switch
            {
                ConfigScalar scalar => scalar.Text!,
                ConfigSequence sequence => $"[{string.Join(", ", sequence.Items.Cast<ConfigScalar>().Select(i => i.Text))}]",
                ConfigMapping { Entries.Count: 0 } => "{}",
                var other => throw new InvalidOperationException($"{key}: unexpected {other}"),
            };
            var documented = row!.Split('|')[2].Trim().Trim('`');
            Assert.True(double.TryParse(documented, System.Globalization.CultureInfo.InvariantCulture, out var number)
                ? number == double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
                : documented == value, $"{key}: documented default {documented}, actual {value}");
        }
    }
}

namespace Luma.Unified.Config;

/// <summary>The keys whose values differ between two resolved configs, as "key: old → new" lines.</summary>
public static class ConfigDiff
{
    /// <summary>Differences from <paramref name="before"/> to <paramref name="after"/> (both resolved YAML), sorted by key.</summary>
    public static IReadOnlyList<string> Between(string before, string after)
    {
        var (a, b) = (Leaves(ConfigTree.Parse(before, "before")), Leaves(ConfigTree.Parse(after, "after")));
        return [.. a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
            .Where(k => a.GetValueOrDefault(k) != b.GetValueOrDefault(k))
            .Select(k => $"{k}: {a.GetValueOrDefault(k) ?? "(absent)"} → {b.GetValueOrDefault(k) ?? "(absent)"}")];
    }

    private static Dictionary<string, string?> Leaves(ConfigMapping root)
    {
        var leaves = new Dictionary<string, string?>(StringComparer.Ordinal);
        void Walk(ConfigNode node, string path)
        {
            switch (node)
            {
                case ConfigMapping mapping when mapping.Entries.Count > 0:
                    foreach (var (key, value) in mapping.Entries)
                    {
                        Walk(value, path.Length == 0 ? key : $"{path}.{key}");
                    }
                    break;
                case ConfigMapping:
                    leaves[path] = "{}";
                    break;
                case ConfigSequence sequence:
                    leaves[path] = $"[{string.Join(", ", sequence.Items.Select(i => (i as ConfigScalar)?.Text ?? "…"))}]";
                    break;
                case ConfigScalar scalar:
                    leaves[path] = scalar.Text;
                    break;
            }
        }
        Walk(root, "");
        return leaves;
    }
}

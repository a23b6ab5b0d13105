using Luma.Unified.Data.Corpus;

namespace Luma.Unified.Data.Loading;

/// <summary>Where a <see cref="DocumentMixer"/> is: draws made so far and each source's position.</summary>
public sealed record MixerPosition(long Draws, IReadOnlyList<DocumentPosition> Sources);

/// <summary>
/// Interleaves several document streams, drawing each next document from source i with probability
/// weight_i / Σ weights. Draw k depends only on (seed, k), so a <see cref="MixerPosition"/> resumes exactly.
/// With one source it is a pass-through.
/// </summary>
public sealed class DocumentMixer
{
    private readonly IReadOnlyList<IDocumentStream> _sources;
    private readonly double[] _cumulative;
    private readonly long _seed;
    private long _draws;

    public DocumentMixer(IReadOnlyList<IDocumentStream> sources, IReadOnlyList<double> weights, long seed)
    {
        if (sources.Count == 0 || sources.Count != weights.Count || weights.Any(w => !(w > 0)))
        {
            throw new ArgumentException($"need one positive weight per source ({sources.Count} sources, weights [{string.Join(", ", weights)}]).");
        }
        (_sources, _seed) = (sources, seed);
        var total = weights.Sum();
        var running = 0.0;
        _cumulative = [.. weights.Select(w => running += w / total)];
    }

    /// <summary>The position to save.</summary>
    public MixerPosition Position => new(_draws, [.. _sources.Select(s => s.Position)]);

    /// <summary>Continues from <paramref name="position"/>.</summary>
    public void Restore(MixerPosition position)
    {
        if (position.Sources.Count != _sources.Count)
        {
            throw new InvalidDataException($"the saved loader state has {position.Sources.Count} sources, this configuration has {_sources.Count}.");
        }
        _draws = position.Draws;
        for (var i = 0; i < _sources.Count; i++)
        {
            _sources[i].Restore(position.Sources[i]);
        }
    }

    /// <summary>The next document of the mix.</summary>
    public SourcedDocument Next()
    {
        var index = 0;
        if (_sources.Count > 1)
        {
            var u = new Random(SeedMixer.Mix(_seed, _draws)).NextDouble();
            while (index < _cumulative.Length - 1 && u >= _cumulative[index])
            {
                index++;
            }
        }
        _draws++;
        return _sources[index].Next();
    }
}

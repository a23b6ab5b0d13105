namespace Luma.Unified.Heads.Diffusion;

/// <summary>
/// The noise levels an ODE solver visits, from 1 (noise) down to 0 (data). With an SD3 shift s &gt; 1 the grid is
/// the uniform one passed through t' = s·t / (1 + (s − 1)·t): the same shift training applies to its timesteps, so the
/// solver spends its steps where training put its samples — at high noise, where a picture's layout and colours
/// are decided.
/// </summary>
public static class FlowTimeGrid
{
    /// <summary><paramref name="steps"/> + 1 noise levels, the first 1 and the last 0, decreasing.</summary>
    public static double[] Shifted(int steps, double shift = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shift);
        return Enumerable.Range(0, steps + 1)
            .Select(i => 1.0 - (double)i / steps)
            .Select(t => shift * t / (1 + (shift - 1) * t))
            .ToArray();
    }
}

using System.Globalization;
using Luma.Unified.Config.Options;

namespace Luma.Unified.Training.Guards;

/// <summary>
/// Decides whether an optimizer step may be applied: a NaN or infinite loss or gradient norm (one bad batch, an
/// overflow) would poison the weights and the Adam moments for good, so such a step is skipped and counted, or the
/// run halted, as <c>train.on_non_finite</c> says.
/// </summary>
public sealed class NonFiniteStepGuard(NonFinitePolicy policy)
{
    /// <summary>Steps skipped so far.</summary>
    public int SkippedSteps { get; private set; }

    /// <summary>
    /// True when step <paramref name="step"/> (1-based) may be applied; false when it must be skipped. Throws
    /// <see cref="TrainingHaltedException"/> under the halt policy.
    /// </summary>
    public bool Allows(int step, double loss, IReadOnlyDictionary<string, double> parts, double gradNorm, out string problem)
    {
        problem = "";
        if (double.IsFinite(loss) && double.IsFinite(gradNorm))
        {
            return true;
        }
        problem = Describe(step, loss, parts, gradNorm);
        if (policy == NonFinitePolicy.Halt)
        {
            throw new TrainingHaltedException($"{problem}; stopping because train.on_non_finite is halt (the last checkpoint is intact; set it to skip to step over bad batches)");
        }
        SkippedSteps++;
        return false;
    }

    private static string Describe(int step, double loss, IReadOnlyDictionary<string, double> parts, double gradNorm)
    {
        var bad = parts.Where(p => !double.IsFinite(p.Value)).Select(p => $"{p.Key} {Format(p.Value)}").ToList();
        var what = double.IsFinite(loss)
            ? $"gradient norm {Format(gradNorm)} (loss {Format(loss)})"
            : $"loss {Format(loss)}" + (bad.Count > 0 ? $" from modality {string.Join(", ", bad)}" : "");
        return $"step {step}: non-finite {what}";
    }

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}

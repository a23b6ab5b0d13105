namespace Luma.Unified.Tests.Support;

/// <summary>Equality of doubles within an absolute tolerance, for Assert.Equal on sequences.</summary>
public sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

    public int GetHashCode(double obj) => 0;
}

namespace Luma.Unified.Config.Options;

/// <summary>A problem with one option: the property it concerns and what is wrong.</summary>
public sealed record OptionProblem(string Property, string Problem);

/// <summary>An option section with rules that involve several of its values.</summary>
public interface IValidatableOptions
{
    /// <summary>Every rule the section's values break; empty when they are consistent.</summary>
    IEnumerable<OptionProblem> Validate();
}

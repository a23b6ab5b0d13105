namespace Luma.Unified.Abstractions;

/// <summary>
/// Name-keyed factories for one kind of component (tokenizers, document sources, ...). Built-in parts and
/// plugins register through the same call; a name registered twice is an error, so a plugin cannot
/// silently replace a built-in.
/// </summary>
/// <typeparam name="TComponent">What the factories build.</typeparam>
/// <typeparam name="TContext">What a factory needs to build one (options, device, ...).</typeparam>
public sealed class Registry<TComponent, TContext>(string kind)
{
    private readonly Dictionary<string, Func<TContext, TComponent>> _factories = new(StringComparer.Ordinal);

    /// <summary>Registered names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _factories.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Adds a factory under <paramref name="name"/>; throws if the name is taken.</summary>
    public Registry<TComponent, TContext> Register(string name, Func<TContext, TComponent> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_factories.TryAdd(name, factory))
        {
            throw new InvalidOperationException($"A {kind} named '{name}' is already registered.");
        }
        return this;
    }

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    public bool Contains(string name) => _factories.ContainsKey(name);

    /// <summary>Builds the component registered as <paramref name="name"/>.</summary>
    public TComponent Create(string name, TContext context) =>
        _factories.TryGetValue(name, out var factory)
            ? factory(context)
            : throw new KeyNotFoundException(UnknownNameMessage(name));

    /// <summary>"unknown X 'n'; did you mean 'm'? Known: ..." — for config validation that names its key.</summary>
    public string UnknownNameMessage(string name)
    {
        var suggestion = NameSuggestions.Closest(name, _factories.Keys);
        var hint = suggestion is null ? "" : $" Did you mean '{suggestion}'?";
        return $"unknown {kind} '{name}'.{hint} Known: {string.Join(", ", Names)}.";
    }
}

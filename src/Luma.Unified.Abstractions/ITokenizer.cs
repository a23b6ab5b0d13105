namespace Luma.Unified.Abstractions;

/// <summary>
/// Text ↔ token ids. Ids below <see cref="VocabSize"/>; special tokens (document and segment boundaries)
/// have ids of their own that no text encodes to.
/// </summary>
public interface ITokenizer
{
    /// <summary>Number of ids, special tokens included: the size of the model's text vocabulary.</summary>
    int VocabSize { get; }

    /// <summary>Id of a special token such as <c>&lt;|bos|&gt;</c>; throws for an unknown name.</summary>
    int SpecialTokenId(string name);

    /// <summary>Token ids of <paramref name="text"/>, without special tokens.</summary>
    IReadOnlyList<int> Encode(string text);

    /// <summary>Text of <paramref name="ids"/>; special tokens are dropped.</summary>
    string Decode(IEnumerable<int> ids);
}

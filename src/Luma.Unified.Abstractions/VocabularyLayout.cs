namespace Luma.Unified.Abstractions;

/// <summary>One autoregressive modality's block of the shared token vocabulary.</summary>
public sealed record VocabularyBlock(string Modality, int Offset, int Size);

/// <summary>
/// The shared vocabulary of the autoregressive head: text first (so text ids are the tokenizer's ids), then
/// each other autoregressive modality's own vocabulary in order. A modality's local id i is global id
/// <c>offset + i</c>.
/// </summary>
public sealed class VocabularyLayout
{
    private readonly Dictionary<string, VocabularyBlock> _byName;

    /// <summary>The layout of <paramref name="modalities"/>' autoregressive members, in order.</summary>
    public VocabularyLayout(IEnumerable<IModality> modalities)
    {
        var blocks = new List<VocabularyBlock>();
        var offset = 0;
        foreach (var modality in modalities.Where(m => m.Head == ModalityHead.Autoregressive))
        {
            blocks.Add(new VocabularyBlock(modality.Name, offset, modality.VocabSize));
            offset += modality.VocabSize;
        }
        Blocks = blocks;
        Size = offset;
        _byName = blocks.ToDictionary(b => b.Modality);
    }

    /// <summary>The blocks, in id order.</summary>
    public IReadOnlyList<VocabularyBlock> Blocks { get; }

    /// <summary>Total ids.</summary>
    public int Size { get; }

    /// <summary>The block of <paramref name="modality"/>, or null when it is not autoregressive here.</summary>
    public VocabularyBlock? Find(string modality) => _byName.GetValueOrDefault(modality);

    /// <summary>Index of the block that global id <paramref name="id"/> falls in.</summary>
    public int BlockOf(int id)
    {
        for (var i = Blocks.Count - 1; i >= 0; i--)
        {
            if (id >= Blocks[i].Offset)
            {
                return i;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(id), id, "negative token id");
    }
}

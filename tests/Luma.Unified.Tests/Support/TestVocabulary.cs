using Luma.Unified.Abstractions;

namespace Luma.Unified.Tests.Support;

/// <summary>Vocabulary layouts for model tests, without tokenizers.</summary>
public static class TestVocabulary
{
    /// <summary>A layout of autoregressive blocks with the given names and sizes, in order (text first).</summary>
    public static VocabularyLayout Of(params (string Name, int Size)[] blocks) => new([.. blocks.Select(b => (IModality)new SizedModality(b.Name, b.Size))]);

    private sealed class SizedModality(string name, int size) : IModality
    {
        public string Name => name;

        public ModalityHead Head => ModalityHead.Autoregressive;

        public int VocabSize => size;

        public ModalityInput Encode(SegmentRecord segment) => throw new NotSupportedException();

        public SegmentRecord Decode(ModalityInput output) => throw new NotSupportedException();
    }
}

namespace Luma.Unified.Data.Loading;

/// <summary>
/// Everything needed to continue a loader exactly: the source position of the document at the head of the
/// packer (or of the next document) and how far into it the packer already is.
/// </summary>
/// <param name="Source">Mixer position before the head document.</param>
/// <param name="Segment">Segments of the head document already packed completely.</param>
/// <param name="TokenOffset">Tokens of the next segment already packed.</param>
public sealed record LoaderState(MixerPosition Source, int Segment, int TokenOffset);

namespace Luma.Unified.Model.Generation;

/// <summary>
/// Which token ids may come next, as a function of how many tokens were generated so far: a block of the shared
/// vocabulary (e.g. the text block, or one codebook of the audio block) and extra ids such as an end marker.
/// </summary>
public delegate (int Offset, int Count, IReadOnlyList<int> Extra) TokenRange(int generated);

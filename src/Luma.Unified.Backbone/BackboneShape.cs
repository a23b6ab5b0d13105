namespace Luma.Unified.Backbone;

/// <summary>The dimensions of a <see cref="TransformerBackbone"/>, resolved from the [model] options.</summary>
public sealed record BackboneShape(
    int Dim,
    int Layers,
    int Heads,
    int KvHeads,
    int MlpHidden,
    double RopeTheta,
    double NormEps,
    double Dropout,
    int MaxSeqLen)
{
    /// <summary>Width of one attention head.</summary>
    public int HeadDim => Dim / Heads;
}

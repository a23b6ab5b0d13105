namespace Luma.Unified.Model.Inputs;

/// <summary>A continuous modality the model reads and generates: its name and the channels of one latent position.</summary>
public sealed record LatentModality(string Name, int Channels);

namespace Luma.Unified.Model.Inputs;

/// <summary>
/// A continuous modality the model reads and generates: its name, the channels of one latent position, and the side
/// of the square grid one image (one video frame) lays its positions out on, row by row — null when the modality has
/// no such grid, which the <c>conv</c> input layers need.
/// </summary>
public sealed record LatentModality(string Name, int Channels, int? GridSide = null);

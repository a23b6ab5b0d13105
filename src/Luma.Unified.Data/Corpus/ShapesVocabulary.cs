namespace Luma.Unified.Data.Corpus;

/// <summary>The attributes of the shapes world: what its images, sounds and videos show and its captions say.</summary>
public static class ShapesVocabulary
{
    public static readonly string[] Colors = ["red", "green", "blue", "yellow", "purple", "orange", "white", "black"];

    public static readonly string[] Shapes = ["circle", "square", "triangle", "star", "cross"];

    public static readonly string[] Sizes = ["small", "medium", "large"];

    public static readonly string[] VerticalPositions = ["top", "middle", "bottom"];

    public static readonly string[] HorizontalPositions = ["left", "center", "right"];

    public static readonly string[] Directions = ["left", "right", "up", "down"];

    public static readonly int[] PitchesHz = [220, 262, 330, 392, 440, 523, 659, 784];
}

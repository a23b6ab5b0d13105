using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Media;
using SkiaSharp;

namespace Luma.Unified.Data.Synthesis;

/// <summary>One shape on a plain background: what a shapes-world image shows and its caption states.</summary>
public sealed record ShapeScene(string Color, string Shape, string Size, string Vertical, string Horizontal)
{
    /// <summary>The background every shapes-world image and video frame uses (mid grey, so black and white both show).</summary>
    public static readonly (byte R, byte G, byte B) Background = (128, 128, 128);

    private static readonly Dictionary<string, SKColor> s_palette = new()
    {
        ["red"] = new SKColor(220, 40, 40),
        ["green"] = new SKColor(40, 180, 60),
        ["blue"] = new SKColor(50, 90, 220),
        ["yellow"] = new SKColor(235, 215, 40),
        ["purple"] = new SKColor(140, 60, 180),
        ["orange"] = new SKColor(240, 140, 30),
        ["white"] = new SKColor(245, 245, 245),
        ["black"] = new SKColor(15, 15, 15),
    };

    /// <summary>The RGB value a colour name is drawn with.</summary>
    public static (byte R, byte G, byte B) Rgb(string color)
    {
        var c = s_palette[color];
        return (c.Red, c.Green, c.Blue);
    }

    /// <summary>A scene drawn uniformly from the shapes vocabulary.</summary>
    public static ShapeScene Random(Random random) => new(
        Pick(random, ShapesVocabulary.Colors), Pick(random, ShapesVocabulary.Shapes), Pick(random, ShapesVocabulary.Sizes),
        Pick(random, ShapesVocabulary.VerticalPositions), Pick(random, ShapesVocabulary.HorizontalPositions));

    /// <summary>"a small red circle at the top left."</summary>
    public string Caption => $"a {Size} {Color} {Shape} at the {Vertical} {Horizontal}.";

    /// <summary>Radius as a fraction of the image side; the largest still fits inside its third of the image.</summary>
    public double RadiusFraction => Array.IndexOf(ShapesVocabulary.Sizes, Size) switch { 0 => 0.08, 1 => 0.12, _ => 0.16 };

    /// <summary>Centre of the grid cell named by the position words, as fractions of the side.</summary>
    public (double X, double Y) CenterFraction =>
        ((2 * Array.IndexOf(ShapesVocabulary.HorizontalPositions, Horizontal) + 1) / 6.0,
         (2 * Array.IndexOf(ShapesVocabulary.VerticalPositions, Vertical) + 1) / 6.0);

    /// <summary>The scene as a <paramref name="side"/>×<paramref name="side"/> image.</summary>
    public RgbImage Render(int side) => Draw(side, CenterFraction, RadiusFraction);

    /// <summary>This scene's shape and colour drawn at an arbitrary centre and radius (fractions of the side).</summary>
    public RgbImage Draw(int side, (double X, double Y) center, double radius)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(Background.R, Background.G, Background.B));
            using var paint = new SKPaint { Color = s_palette[Color], IsAntialias = true, Style = SKPaintStyle.Fill };
            var (cx, cy, r) = ((float)(center.X * side), (float)(center.Y * side), (float)(radius * side));
            using var path = Outline(Shape, cx, cy, r);
            canvas.DrawPath(path, paint);
        }
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return ImageCodec.Decode(encoded.ToArray());
    }

    private static SKPath Outline(string shape, float cx, float cy, float r)
    {
        var path = new SKPath();
        switch (shape)
        {
            case "circle":
                path.AddCircle(cx, cy, r);
                break;
            case "square":
                path.AddRect(new SKRect(cx - r, cy - r, cx + r, cy + r));
                break;
            case "triangle":
                path.MoveTo(cx, cy - r);
                path.LineTo(cx + r, cy + r);
                path.LineTo(cx - r, cy + r);
                path.Close();
                break;
            case "star":
                for (var i = 0; i < 10; i++)
                {
                    var radius = i % 2 == 0 ? r : r * 0.45f;
                    var angle = -Math.PI / 2 + i * Math.PI / 5;
                    var (x, y) = (cx + radius * (float)Math.Cos(angle), cy + radius * (float)Math.Sin(angle));
                    if (i == 0)
                    {
                        path.MoveTo(x, y);
                    }
                    else
                    {
                        path.LineTo(x, y);
                    }
                }
                path.Close();
                break;
            case "cross":
                var arm = r * 0.35f;
                path.AddRect(new SKRect(cx - r, cy - arm, cx + r, cy + arm));
                path.AddRect(new SKRect(cx - arm, cy - r, cx + arm, cy + r));
                break;
            default:
                throw new ArgumentException($"unknown shape '{shape}'", nameof(shape));
        }
        return path;
    }

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];
}

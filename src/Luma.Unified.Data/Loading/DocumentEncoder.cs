using Luma.Unified.Abstractions;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;

namespace Luma.Unified.Data.Loading;

/// <summary>
/// How many sequence positions a decoded media item takes: images and video frames are cut into
/// <see cref="PatchSize"/>-pixel patches, audio into <see cref="AudioFramesPerSecond"/> frames per second.
/// </summary>
public sealed record MediaGeometry(int PatchSize = 16, double AudioFramesPerSecond = 25)
{
    public int ImagePositions(int width, int height) => Ceil(width, PatchSize) * Ceil(height, PatchSize);

    public int AudioPositions(double seconds) => Math.Max(1, (int)Math.Ceiling(seconds * AudioFramesPerSecond));

    public int VideoPositions(int frames, int width, int height) => frames * ImagePositions(width, height);

    private static int Ceil(int value, int step) => (value + step - 1) / step;
}

/// <summary>
/// Turns a stored document into packable segments: text through the tokenizer, framed by
/// <c>&lt;|bos|&gt;</c> … <c>&lt;|eos|&gt;</c>; media decoded (this is the expensive part the loader runs on its
/// decode workers) and sized by <see cref="MediaGeometry"/>, or left out when <c>includeMedia</c> is false
/// (a text-only model). A payload that does not decode is an <see cref="InvalidDataException"/>.
/// </summary>
public sealed class DocumentEncoder(ITokenizer tokenizer, MediaGeometry geometry, bool includeMedia)
{
    private readonly int _bos = tokenizer.SpecialTokenId(SpecialTokens.BeginDocument);
    private readonly int _eos = tokenizer.SpecialTokenId(SpecialTokens.EndDocument);

    /// <summary>The packable form of <paramref name="source"/>.</summary>
    public PackableDocument Encode(SourcedDocument source)
    {
        var document = source.Document;
        var segments = new List<PackableSegment>();
        var text = new List<int> { _bos };
        void FlushText()
        {
            if (text.Count > 0)
            {
                segments.Add(new PackableSegment(Segments.Text, text.Count, text.ToArray()));
                text.Clear();
            }
        }
        for (var s = 0; s < document.Segments.Count; s++)
        {
            var segment = document.Segments[s];
            if (segment.Modality == Segments.Text)
            {
                if (text.Count > 1)
                {
                    text.AddRange(tokenizer.Encode(" "));
                }
                text.AddRange(tokenizer.Encode(segment.Text ?? throw Bad(source, s, "text segment without text")));
                continue;
            }
            if (!includeMedia)
            {
                continue;
            }
            DecodedMedia media;
            try
            {
                media = SegmentDecoder.Decode(segment);
            }
            catch (InvalidDataException e)
            {
                throw Bad(source, s, e.Message);
            }
            FlushText();
            segments.Add(new PackableSegment(segment.Modality, Positions(media), Payload: media));
        }
        text.Add(_eos);
        FlushText();
        return new PackableDocument(document.Id, source.Location, segments);
    }

    private int Positions(DecodedMedia media) => media switch
    {
        { Image: { } i } => geometry.ImagePositions(i.Width, i.Height),
        { Audio: { } a } => geometry.AudioPositions(a.DurationSeconds),
        { Video: { } v } => geometry.VideoPositions(v.Frames.Count, v.Width, v.Height),
        _ => throw new InvalidDataException("media without a payload"),
    };

    private static InvalidDataException Bad(SourcedDocument source, int segment, string reason) =>
        new($"{source.Location}: document '{source.Document.Id}' segment {segment} ({source.Document.Segments[segment].Modality}): {reason}");
}

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
/// Turns a stored document into packable segments. Segments of autoregressive modalities (text through the
/// tokenizer, plugin modalities through their own <see cref="IModality"/>) become token runs in the shared
/// vocabulary (<see cref="VocabularyLayout"/>); the document is framed by <c>&lt;|bos|&gt;</c> … <c>&lt;|eos|&gt;</c>
/// and every image, video and audio segment by its <c>&lt;|image_start|&gt;</c> … <c>&lt;|image_end|&gt;</c> markers.
/// Diffusion modalities (image/video through their VAEs) become latent positions; built-in media without a
/// modality are decoded and sized by <see cref="MediaGeometry"/> (the expensive part, run on the loader's decode
/// workers); those are left out when <c>includeMedia</c> is false (a model without a codec for them skips them). A payload that does not decode, or a segment no loaded modality handles, is an <see cref="InvalidDataException"/>.
/// </summary>
public sealed class DocumentEncoder
{
    private static readonly HashSet<string> s_builtInMedia = [Segments.Image, Segments.Audio, Segments.Video];

    private readonly Dictionary<string, IModality> _modalities;
    private readonly VocabularyLayout _layout;
    private readonly MediaGeometry _geometry;
    private readonly bool _includeMedia;
    private readonly int _bos;
    private readonly int _eos;
    private readonly IReadOnlyList<int> _space;
    private readonly Dictionary<string, (int Start, int End)> _markers = [];

    /// <param name="tokenizer">The text tokenizer (document markers and the space between text segments).</param>
    /// <param name="modalities">Every modality of the run; text must be among them.</param>
    /// <param name="geometry">Positions per built-in media item.</param>
    /// <param name="includeMedia">Whether built-in media that no loaded modality encodes enter the sequence (sized, for benchmarks).</param>
    public DocumentEncoder(ITokenizer tokenizer, IReadOnlyList<IModality> modalities, MediaGeometry geometry, bool includeMedia)
    {
        _modalities = modalities.ToDictionary(m => m.Name);
        _layout = new VocabularyLayout(modalities);
        if (_layout.Find(Segments.Text) is not { Offset: 0 })
        {
            throw new ArgumentException("the text modality must come first among the modalities.", nameof(modalities));
        }
        (_geometry, _includeMedia) = (geometry, includeMedia);
        _bos = tokenizer.SpecialTokenId(SpecialTokens.BeginDocument);
        _eos = tokenizer.SpecialTokenId(SpecialTokens.EndDocument);
        _space = tokenizer.Encode(" ");
        foreach (var kind in SpecialTokens.MarkedModalities)
        {
            _markers[kind] = (tokenizer.SpecialTokenId(SpecialTokens.Start(kind)), tokenizer.SpecialTokenId(SpecialTokens.End(kind)));
        }
    }

    /// <summary>The shared vocabulary the token ids are in.</summary>
    public VocabularyLayout Layout => _layout;

    /// <summary>The packable form of <paramref name="source"/>.</summary>
    public PackableDocument Encode(SourcedDocument source)
    {
        var document = source.Document;
        var segments = new List<PackableSegment>();
        var run = new List<int> { _bos };
        var runModality = Segments.Text;
        void Flush()
        {
            if (run.Count > 0)
            {
                segments.Add(new PackableSegment(runModality, run.Count, run.ToArray()));
                run.Clear();
            }
        }
        void SwitchTo(string modality)
        {
            if (runModality != modality)
            {
                Flush();
                runModality = modality;
            }
        }
        // A media segment sits between its start and end markers, which are text tokens.
        void AddMedia(string modality, PackableSegment media)
        {
            var marked = _markers.TryGetValue(modality, out var marker);
            SwitchTo(Segments.Text);
            if (marked)
            {
                run.Add(marker.Start);
            }
            Flush();
            segments.Add(media);
            if (marked)
            {
                run.Add(marker.End);
            }
        }
        for (var s = 0; s < document.Segments.Count; s++)
        {
            var segment = document.Segments[s];
            if (_layout.Find(segment.Modality) is { } block)
            {
                IReadOnlyList<int> tokens;
                try
                {
                    tokens = _modalities[segment.Modality].Encode(segment).Tokens
                        ?? throw new InvalidDataException($"modality '{segment.Modality}' produced no tokens");
                }
                catch (InvalidDataException e)
                {
                    throw Bad(source, s, e.Message);
                }
                var marked = _markers.TryGetValue(segment.Modality, out var marker);
                if (marked)
                {
                    SwitchTo(Segments.Text);
                    run.Add(marker.Start);
                }
                if (runModality != segment.Modality)
                {
                    SwitchTo(segment.Modality);
                }
                else if (segment.Modality == Segments.Text && run.Count > 1)
                {
                    run.AddRange(_space);
                }
                run.AddRange(tokens.Select(t => block.Offset + t));
                if (marked)
                {
                    SwitchTo(Segments.Text);
                    run.Add(marker.End);
                }
                continue;
            }
            if (!s_builtInMedia.Contains(segment.Modality) && !_modalities.ContainsKey(segment.Modality))
            {
                throw Bad(source, s, $"no loaded modality handles '{segment.Modality}' (add its plugin to modalities.plugins)");
            }
            if (_modalities.TryGetValue(segment.Modality, out var continuous))
            {
                // A diffusion modality (image/video through their VAEs, or a plugin): latent positions with coordinates.
                ModalityInput input;
                try
                {
                    input = continuous.Encode(segment);
                }
                catch (InvalidDataException e)
                {
                    throw Bad(source, s, e.Message);
                }
                AddMedia(segment.Modality, new PackableSegment(segment.Modality, input.Length, Payload: input));
                continue;
            }
            if (!_includeMedia)
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
            AddMedia(segment.Modality, new PackableSegment(segment.Modality, Positions(media), Payload: media));
        }
        SwitchTo(Segments.Text);
        run.Add(_eos);
        Flush();
        return new PackableDocument(document.Id, source.Location, segments);
    }

    private int Positions(DecodedMedia media) => media switch
    {
        { Image: { } i } => _geometry.ImagePositions(i.Width, i.Height),
        { Audio: { } a } => _geometry.AudioPositions(a.DurationSeconds),
        { Video: { } v } => _geometry.VideoPositions(v.Frames.Count, v.Width, v.Height),
        { Encoded: { } e } => e.Positions,
        _ => throw new InvalidDataException("media without a payload"),
    };

    private static InvalidDataException Bad(SourcedDocument source, int segment, string reason) =>
        new($"{source.Location}: document '{source.Document.Id}' segment {segment} ({source.Document.Segments[segment].Modality}): {reason}");
}

using System.Buffers.Binary;
using Luma.Unified.Abstractions;

namespace Luma.Unified.SamplePlugin;

/// <summary>
/// 1-D sensor time series stored as little-endian float32 readings (<c>encoding: f32le</c>), read by the
/// backbone as one token per reading: its bin among <see cref="SensorOptions.Bins"/> equal bins over
/// [Min, Max]. Trained by the autoregressive head, like audio codes.
/// </summary>
public sealed class SensorModality : IModality
{
    /// <summary>The segment kind.</summary>
    public const string Kind = "sensor";

    /// <summary>The stored encoding.</summary>
    public const string Encoding = "f32le";

    private readonly SensorOptions _options;

    public SensorModality(SensorOptions options)
    {
        if (options.Bins < 2 || !(options.Max > options.Min))
        {
            throw new ArgumentException($"sensor needs bins ≥ 2 and max > min (got bins {options.Bins}, min {options.Min}, max {options.Max}).");
        }
        _options = options;
    }

    /// <inheritdoc/>
    public string Name => Kind;

    /// <inheritdoc/>
    public ModalityHead Head => ModalityHead.Autoregressive;

    /// <inheritdoc/>
    public int VocabSize => _options.Bins;

    /// <summary>A stored segment of <paramref name="readings"/>.</summary>
    public static SegmentRecord Segment(IReadOnlyList<float> readings)
    {
        var data = new byte[readings.Count * 4];
        for (var i = 0; i < readings.Count; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), readings[i]);
        }
        return new SegmentRecord { Modality = Kind, Data = data, Encoding = Encoding };
    }

    /// <inheritdoc/>
    public ModalityInput Encode(SegmentRecord segment)
    {
        if (segment.Encoding != Encoding || segment.Data is null || segment.Data.Length % 4 != 0)
        {
            throw new InvalidDataException($"a sensor segment holds little-endian float32 readings (encoding '{Encoding}'), got encoding '{segment.Encoding}' with {segment.Data?.Length ?? 0} bytes");
        }
        var span = (_options.Max - _options.Min) / _options.Bins;
        var tokens = new int[segment.Data.Length / 4];
        for (var i = 0; i < tokens.Length; i++)
        {
            var reading = BinaryPrimitives.ReadSingleLittleEndian(segment.Data.AsSpan(i * 4));
            tokens[i] = (int)Math.Clamp(Math.Floor((reading - _options.Min) / span), 0, _options.Bins - 1);
        }
        return ModalityInput.FromTokens(tokens);
    }

    /// <inheritdoc/>
    public SegmentRecord Decode(ModalityInput output)
    {
        var span = (_options.Max - _options.Min) / _options.Bins;
        var tokens = output.Tokens ?? throw new ArgumentException("sensor output needs tokens", nameof(output));
        return Segment([.. tokens.Select(t => (float)(_options.Min + (t + 0.5) * span))]);
    }
}

using NAudio.Wave;

namespace Luma.Unified.Data.Media;

/// <summary>WAV ↔ <see cref="AudioClip"/> through NAudio (in-process). Multi-channel input is mixed down to mono.</summary>
public static class WavCodec
{
    /// <summary>16-bit PCM mono WAV bytes of <paramref name="clip"/> (samples clipped to [-1, 1]).</summary>
    public static byte[] Encode(AudioClip clip)
    {
        using var memory = new MemoryStream();
        using (var writer = new WaveFileWriter(memory, new WaveFormat(clip.SampleRate, 16, 1)))
        {
            writer.WriteSamples(clip.Samples, 0, clip.Samples.Length);
        }
        return memory.ToArray();
    }

    /// <summary>Decodes PCM (8/16/24/32-bit) or IEEE-float WAV; throws <see cref="InvalidDataException"/> for anything else.</summary>
    public static AudioClip Decode(byte[] encoded)
    {
        // NAudio quietly shortens a truncated file to what is there; the RIFF header says what should be.
        if (encoded.Length >= 8 && encoded.AsSpan(0, 4).SequenceEqual("RIFF"u8)
            && BitConverter.ToUInt32(encoded, 4) + 8L > encoded.Length)
        {
            throw new InvalidDataException($"WAV file is truncated: its header promises {BitConverter.ToUInt32(encoded, 4) + 8L} bytes, it has {encoded.Length}");
        }
        try
        {
            using var reader = new WaveFileReader(new MemoryStream(encoded));
            var provider = reader.ToSampleProvider();
            var channels = provider.WaveFormat.Channels;
            var interleaved = new float[reader.SampleCount * channels];
            var read = provider.Read(interleaved.AsSpan());
            var mono = new float[read / channels];
            for (var i = 0; i < mono.Length; i++)
            {
                var sum = 0f;
                for (var c = 0; c < channels; c++)
                {
                    sum += interleaved[i * channels + c];
                }
                mono[i] = sum / channels;
            }
            return new AudioClip(provider.WaveFormat.SampleRate, mono);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or EndOfStreamException or InvalidOperationException)
        {
            throw new InvalidDataException($"not a decodable WAV file: {e.Message}", e);
        }
    }
}

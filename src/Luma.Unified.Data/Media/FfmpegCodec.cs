using System.Globalization;
using FFMpegCore;
using FFMpegCore.Exceptions;

namespace Luma.Unified.Data.Media;

/// <summary>
/// Compressed video (MP4, WebM, …) and audio (FLAC, MP3, Ogg, …) through ffmpeg — the Debian package, which
/// <c>scripts/setup</c> installs — driven by FFMpegCore. Payloads go through temporary files because MP4
/// keeps its index at the end, which ffmpeg cannot reach through a pipe.
/// </summary>
public static class FfmpegCodec
{
    private static readonly Lazy<bool> s_available = new(() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(directory => File.Exists(Path.Combine(directory, "ffmpeg")) && File.Exists(Path.Combine(directory, "ffprobe"))));

    /// <summary>Whether ffmpeg and ffprobe are on the PATH.</summary>
    public static bool IsAvailable => s_available.Value;

    /// <summary>Every frame of a compressed video, as RGB.</summary>
    public static VideoClip DecodeVideo(byte[] encoded) => WithTemporaryFile(encoded, input =>
    {
        var video = Probe(input).PrimaryVideoStream ?? throw new InvalidDataException("ffprobe finds no video stream");
        var (width, height) = (video.Width ?? 0, video.Height ?? 0);
        var raw = input + ".rgb";
        try
        {
            Run(FFMpegArguments.FromFileInput(input).OutputToFile(raw, true, o => o.ForceFormat("rawvideo").WithCustomArgument("-pix_fmt rgb24")));
            var bytes = File.ReadAllBytes(raw);
            var frameBytes = width * height * 3;
            if (frameBytes == 0 || bytes.Length % frameBytes != 0)
            {
                throw new InvalidDataException($"decoded {bytes.Length} bytes, not a whole number of {width}×{height} frames");
            }
            var frames = Enumerable.Range(0, bytes.Length / frameBytes)
                .Select(f => new RgbImage(width, height, bytes.AsSpan(f * frameBytes, frameBytes).ToArray())).ToList();
            return new VideoClip(frames, video.AverageFrameRate > 0 ? video.AverageFrameRate : video.RealFrameRate);
        }
        finally
        {
            File.Delete(raw);
        }
    });

    /// <summary>A compressed audio file as mono samples at its own sample rate.</summary>
    public static AudioClip DecodeAudio(byte[] encoded) => WithTemporaryFile(encoded, input =>
    {
        var audio = Probe(input).PrimaryAudioStream ?? throw new InvalidDataException("ffprobe finds no audio stream");
        var rate = audio.SampleRateHz ?? throw new InvalidDataException("ffprobe reports no sample rate");
        var raw = input + ".f32";
        try
        {
            Run(FFMpegArguments.FromFileInput(input).OutputToFile(raw, true, o => o.ForceFormat("f32le").WithCustomArgument("-ac 1")));
            var bytes = File.ReadAllBytes(raw);
            var samples = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
            return new AudioClip(rate, samples);
        }
        finally
        {
            File.Delete(raw);
        }
    });

    /// <summary>The container format ffprobe names (e.g. <c>mov,mp4,m4a,3gp,3g2,mj2</c> → <c>mp4</c>, <c>flac</c>).</summary>
    public static string ContainerName(byte[] encoded) => WithTemporaryFile(encoded, input =>
    {
        var name = Probe(input).Format.FormatName;
        return name.Contains("mp4", StringComparison.Ordinal) ? "mp4" : name.Split(',')[0];
    });

    /// <summary>H.264 MP4 of <paramref name="clip"/> (lossy; <paramref name="crf"/> 0–51, lower is better).</summary>
    public static byte[] EncodeMp4(VideoClip clip, int crf = 12) => WithTemporaryFile(
        [.. clip.Frames.SelectMany(f => f.Pixels)], raw =>
        {
            var output = raw + ".mp4";
            try
            {
                var rate = clip.Fps.ToString(CultureInfo.InvariantCulture);
                Run(FFMpegArguments
                    .FromFileInput(raw, true, o => o.ForceFormat("rawvideo").WithCustomArgument($"-pix_fmt rgb24 -s {clip.Width}x{clip.Height} -r {rate}"))
                    .OutputToFile(output, true, o => o.WithVideoCodec("libx264").WithCustomArgument($"-pix_fmt yuv420p -crf {crf} -movflags +faststart")));
                return File.ReadAllBytes(output);
            }
            finally
            {
                File.Delete(output);
            }
        });

    /// <summary>FLAC (lossless) of <paramref name="clip"/>.</summary>
    public static byte[] EncodeFlac(AudioClip clip) => WithTemporaryFile(WavCodec.Encode(clip), wav =>
    {
        var output = wav + ".flac";
        try
        {
            Run(FFMpegArguments.FromFileInput(wav).OutputToFile(output, true, o => o.ForceFormat("flac")));
            return File.ReadAllBytes(output);
        }
        finally
        {
            File.Delete(output);
        }
    });

    private static IMediaAnalysis Probe(string path)
    {
        try
        {
            return FFProbe.Analyse(path);
        }
        catch (Exception e) when (e is FFMpegException or FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"ffprobe cannot read it: {FirstLine(e.Message)}", e);
        }
    }

    private static void Run(FFMpegArgumentProcessor processor)
    {
        try
        {
            processor.ProcessSynchronously();
        }
        catch (Exception e) when (e is FFMpegException or InvalidOperationException)
        {
            throw new InvalidDataException($"ffmpeg failed: {FirstLine(e.Message)}", e);
        }
    }

    private static T WithTemporaryFile<T>(byte[] bytes, Func<string, T> use)
    {
        if (!IsAvailable)
        {
            throw new InvalidDataException("decoding this needs ffmpeg and ffprobe on the PATH (Debian/Ubuntu: apt-get install ffmpeg, or run scripts/setup)");
        }
        var path = Path.Combine(Path.GetTempPath(), $"luma-ffmpeg-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, bytes);
        try
        {
            return use(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string FirstLine(string message) =>
        message.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? message;
}

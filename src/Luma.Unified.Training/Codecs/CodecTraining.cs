using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Modalities.Image;
using Luma.Unified.Modalities.Video;
using Luma.Unified.Runtime;
using Serilog;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Codecs;

/// <summary>The entry point of <c>luma codec train</c>: checks the config, builds the codec its kind names, trains and saves it.</summary>
public static class CodecTraining
{
    /// <summary>Trains the codec <paramref name="config"/> describes into <paramref name="outDirectory"/>.</summary>
    public static CodecTrainingResult Run(CodecTrainingConfig config, string configSource, ILogger log, string outDirectory)
    {
        var yaml = ConfigWriter.ToYaml(config);
        if (config.Codec.Kind == CodecKind.AudioCodec)
        {
            return new AudioCodecTrainer(config, yaml, configSource, log).Run(outDirectory);
        }
        var (codec, data) = (config.Codec, config.Data);
        if (data.ImageSize % codec.Downsample != 0)
        {
            throw ConfigException.At(configSource, "data.image_size", data.ImageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"must be a multiple of codec.downsample ({codec.Downsample}).");
        }
        if (codec.Kind == CodecKind.VideoVae && (data.VideoFrames - 1) % codec.TemporalDownsample != 0)
        {
            throw ConfigException.At(configSource, "data.video_frames", data.VideoFrames.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"must be 1 + k·codec.temporal_downsample ({codec.TemporalDownsample}): the first frame is encoded on its own.");
        }
        var session = TorchRuntime.Start(config.Run.Device, config.Run.Threads);
        manual_seed(config.Run.Seed);
        var trainer = new VaeTrainer(config, yaml, log);
        CodecInfo Describe(double psnr, double scale) => new()
        {
            Kind = ConfigNaming.EnumValue(codec.Kind),
            LatentChannels = codec.LatentChannels,
            BaseChannels = codec.BaseChannels,
            Steps = config.Train.Steps,
            Downsample = codec.Downsample,
            ImageSize = data.ImageSize,
            ScalingFactor = scale,
            ValidationPsnr = psnr,
            TemporalDownsample = codec.Kind == CodecKind.VideoVae ? codec.TemporalDownsample : null,
            FrameChannels = codec.Kind == CodecKind.VideoVae ? codec.FrameChannels : null,
        };
        if (codec.Kind == CodecKind.VideoVae)
        {
            using var videos = CodecMedia.LoadVideos(data, config.Run.Seed, configSource);
            using var video = new VideoVae(new VideoVaeShape(new ImageVaeShape(codec.Downsample, codec.FrameChannels, codec.BaseChannels), codec.TemporalDownsample, codec.LatentChannels));
            return trainer.Run(video, videos, session, Describe, outDirectory);
        }
        using var images = CodecMedia.LoadImages(data, config.Run.Seed, configSource);
        using var vae = new ImageVae(new ImageVaeShape(codec.Downsample, codec.LatentChannels, codec.BaseChannels));
        return trainer.Run(vae, images, session, Describe, outDirectory);
    }
}

using Luma.Unified.Abstractions;
using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Building;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training.Codecs;
using Luma.Unified.Training.Observability;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Training;

public sealed class DatasetEncodingTests : TorchTest
{
    private static string TrainCodec(TempDirectory temp, string config, string name, params string[] overrides)
    {
        var (options, _) = ConfigLoader.Load<CodecTrainingConfig>(Repo.Config(config), [.. overrides, "train.steps=3", "train.eval_every=3", "run.threads=1"]);
        using var log = RunLogging.Create(jsonLogFile: null);
        CodecTraining.Run(options, config, log, temp.Combine(name));
        return temp.Combine(name);
    }

    [Fact]
    public async Task MediaBecomeLatentsAndCodesThatVerifyAndMatchTheCodecs()
    {
        using var temp = new TempDirectory();
        await ShapesWorldBuilder.BuildAsync(temp.Combine("raw"), 30, seed: 2, new ShapesWorldOptions { ImageSize = 32, VideoSize = 16, SampleRate = 8000 }, 1 << 20, 16);
        var image = TrainCodec(temp, "vae-image-64.yaml", "image", "data.synth_images=40", "data.image_size=32", "data.validation_fraction=0.2", "codec.downsample=4", "codec.base_channels=8");
        var video = TrainCodec(temp, "vae-video-32.yaml", "video", "data.synth_videos=40", "data.image_size=16", "data.validation_fraction=0.2", "codec.base_channels=8");
        var audio = TrainCodec(temp, "codec-audio-16k.yaml", "audio", [.. Luma.Unified.Tests.Modalities.Audio.AudioCodecTests.Tiny.Where(o => !o.StartsWith("train.", StringComparison.Ordinal))]);

        var manifest = await DatasetEncoding.EncodeAsync(temp.Combine("raw"), temp.Combine("encoded"), image, video, audio, 1 << 20, 16);

        Assert.Equal(30, manifest.Documents);
        Assert.True((await DatasetVerifier.VerifyAsync(temp.Combine("encoded"))).IsValid);
        var raw = (await ShardedDataset.Open(temp.Combine("raw")).ReadAllAsync().ToListAsync()).Select(r => r.Document).ToList();
        var encoded = (await ShardedDataset.Open(temp.Combine("encoded")).ReadAllAsync().ToListAsync()).Select(r => r.Document).ToList();
        var segments = encoded.SelectMany(d => d.Segments).Where(s => s.Modality != "text").ToList();
        Assert.All(segments.Where(s => s.Modality == "image"), s => Assert.Equal([4, 8, 8], EncodedMedia.FromSegment(s).Shape));
        Assert.All(segments.Where(s => s.Modality == "video"), s => Assert.Equal([4, 5, 4, 4], EncodedMedia.FromSegment(s).Shape));
        Assert.All(segments.Where(s => s.Modality == "audio"), s => Assert.Equal(EncodedMedia.CodeEncoding, s.Encoding));

        // The stored latents are what the frozen codec gives for the original image.
        var (vae, info) = CodecStore.LoadImageVae(image);
        var index = raw.FindIndex(d => d.Segments.Any(s => s.Modality == "image"));
        var original = SegmentDecoder.Decode(raw[index].Segments.First(s => s.Modality == "image")).Image!;
        using var expected = vae.Encode(ImageTensors.Stack([original], info.ImageSize!.Value)).Mean;
        var stored = EncodedMedia.FromSegment(encoded[index].Segments.First(s => s.Modality == "image")).Latents!;
        Assert.Equal(expected.data<float>().ToArray(), stored, new FloatTolerance(1e-5f));
    }

    [Fact]
    public async Task AudioAtAnotherSampleRateIsRefusedWithItsRow()
    {
        using var temp = new TempDirectory();
        await ShapesWorldBuilder.BuildAsync(temp.Combine("raw"), 12, seed: 2, new ShapesWorldOptions { ImageWeight = 0, VideoWeight = 0, InterleavedWeight = 0 }, 1 << 20, 16);
        var audio = TrainCodec(temp, "codec-audio-16k.yaml", "audio", [.. Luma.Unified.Tests.Modalities.Audio.AudioCodecTests.Tiny.Where(o => !o.StartsWith("train.", StringComparison.Ordinal))]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => DatasetEncoding.EncodeAsync(temp.Combine("raw"), temp.Combine("encoded"), null, null, audio, 1 << 20, 16));

        Assert.Contains("shard-00000.parquet row 0: document 'shapes/00000000' segment", error.Message, StringComparison.Ordinal);
        Assert.Contains("sampled at 16000 Hz; the codec works at 8000 Hz", error.Message, StringComparison.Ordinal);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}

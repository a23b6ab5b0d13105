using static TorchSharp.torch;

namespace Luma.Unified.Runtime.Randomness;

/// <summary>
/// Random draws from an optional seeded <see cref="Generator"/>, placed on any device.
/// <para>
/// TorchSharp 0.107 makes every <see cref="Generator"/> a CPU generator whatever device it is given, and libtorch
/// refuses a CPU generator for a CUDA draw. So a seeded draw is made on the CPU and copied to its device — which also
/// makes seeded sampling and validation noise the same numbers on CPU and GPU. A draw without a generator uses the
/// device's own random stream, where it is made.
/// </para>
/// </summary>
public static class SeededDraw
{
    /// <summary>A new CPU generator seeded with <paramref name="seed"/>: the only kind TorchSharp makes.</summary>
    public static Generator Generator(long seed) => new((ulong)seed, CPU);

    /// <summary>N(0, 1) samples of <paramref name="shape"/> on <paramref name="device"/>.</summary>
    public static Tensor Normal(long[] shape, Generator? generator, Device device) =>
        generator is null ? randn(shape, device: device) : OnDevice(randn(shape, generator: generator), device);

    /// <summary>U[0, 1) samples of <paramref name="shape"/> on <paramref name="device"/>.</summary>
    public static Tensor Uniform(long[] shape, Generator? generator, Device device) =>
        generator is null ? rand(shape, device: device) : OnDevice(rand(shape, generator: generator), device);

    /// <summary>Integers in [<paramref name="low"/>, <paramref name="high"/>) of <paramref name="shape"/> on <paramref name="device"/>.</summary>
    public static Tensor Integers(long low, long high, long[] shape, Generator? generator, Device device) =>
        generator is null ? randint(low, high, shape, device: device) : OnDevice(randint(low, high, shape, generator: generator), device);

    private static Tensor OnDevice(Tensor drawn, Device device)
    {
        if (drawn.device_type == device.type && drawn.device_index == device.index)
        {
            return drawn;
        }
        using (drawn)
        {
            return drawn.to(device);
        }
    }
}

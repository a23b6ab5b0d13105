using System.Globalization;
using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using static TorchSharp.torch;

namespace Luma.Unified.Runtime.Performance;

/// <summary>The precision a run computes in, and why (the measured figures when <c>auto</c> chose it).</summary>
public sealed record PrecisionChoice(Precision Precision, string Reason)
{
    private const int ProbeSize = 1024;
    private const int ProbeRepeats = 3;
    private static readonly Lock s_gate = new();
    private static readonly Dictionary<string, (double Fp32, double Bf16)> s_probes = [];

    /// <summary>bf16 when the run computes in bf16-mixed, fp32 otherwise.</summary>
    public ScalarType ComputeDtype => Precision == Precision.Bf16Mixed ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>
    /// <paramref name="requested"/> as is, or for <see cref="Precision.Auto"/> bf16-mixed when this device's bf16
    /// matmul measures faster than fp32 (fp16 is never a candidate: on CPU it runs ~700× slower than bf16).
    /// </summary>
    public static PrecisionChoice Resolve(Precision requested, Device device)
    {
        if (requested != Precision.Auto)
        {
            return new PrecisionChoice(requested, "set in the config");
        }
        var (fp32, bf16) = Probe(device);
        var faster = bf16 > fp32;
        var figures = string.Create(CultureInfo.InvariantCulture, $"{ProbeSize}² matmul: bf16 {bf16:0} GFLOP/s, fp32 {fp32:0} GFLOP/s");
        return faster
            ? new PrecisionChoice(Precision.Bf16Mixed, $"auto: bf16 is {bf16 / fp32:0.0}× faster on this {device.type} ({figures})")
            : new PrecisionChoice(Precision.Fp32, $"auto: bf16 is not faster than fp32 on this {device.type} ({figures})");
    }

    /// <summary>fp32 and bf16 GFLOP/s of a 1024² matmul on <paramref name="device"/>, measured once per process and device.</summary>
    public static (double Fp32, double Bf16) Probe(Device device)
    {
        lock (s_gate)
        {
            var key = device.ToString();
            if (!s_probes.TryGetValue(key, out var figures))
            {
                figures = (MatmulThroughput.Measure(ScalarType.Float32, ProbeSize, ProbeRepeats, device),
                    MatmulThroughput.Measure(ScalarType.BFloat16, ProbeSize, ProbeRepeats, device));
                s_probes[key] = figures;
            }
            return figures;
        }
    }

    /// <summary>How the choice reads in logs: <c>bf16-mixed (auto: …)</c>.</summary>
    public override string ToString() => $"{ConfigNaming.EnumValue(Precision)} ({Reason})";
}

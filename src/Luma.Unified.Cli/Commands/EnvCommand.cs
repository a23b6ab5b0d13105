using System.CommandLine;
using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Runtime;
using Luma.Unified.Runtime.Performance;

namespace Luma.Unified.Cli.Commands;

/// <summary><c>luma env</c>: what this machine offers a run.</summary>
public static class EnvCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("env", "Print TorchSharp and libtorch versions, device, threads, CUDA availability, CPU features, and the measured fp32 and bf16 matmul speed that train.precision: auto decides by.");
        command.SetAction(_ => CommandGuard.Run(error, () =>
        {
            var report = EnvironmentReport.Collect();
            var device = report.CudaAvailable ? TorchSharp.torch.CUDA : TorchSharp.torch.CPU;
            var (fp32, bf16) = PrecisionChoice.Probe(device);
            var auto = PrecisionChoice.Resolve(Precision.Auto, device);
            (string, string)[] rows =
            [
                ("TorchSharp", report.TorchSharpVersion),
                ("libtorch", report.LibTorchVersion),
                ("backend", report.TorchBackend),
                (".NET", report.DotNetVersion),
                ("OS", report.OperatingSystem),
                ("CPU", report.CpuModel),
                ("logical cores", report.LogicalCores.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("torch threads", report.TorchThreads.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("CUDA available", report.CudaAvailable ? $"yes ({report.CudaDevices} device(s))" : "no"),
                ("default device", report.CudaAvailable ? "cuda" : "cpu"),
                ("CPU features", report.CpuFeatures.Count == 0 ? "(none of interest)" : string.Join(' ', report.CpuFeatures)),
                ("native shim", report.NativeShim ?? "(not Linux)"),
                ("fp32 matmul 1024²", Gflops(fp32)),
                ("bf16 matmul 1024²", Gflops(bf16)),
                ("precision: auto", ConfigNaming.EnumValue(auto.Precision)),
            ];
            var width = rows.Max(r => r.Item1.Length);
            foreach (var (name, value) in rows)
            {
                output.WriteLine($"{name.PadRight(width)}  {value}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Gflops(double value) => value.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " GFLOP/s";
}

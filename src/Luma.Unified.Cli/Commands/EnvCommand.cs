using System.CommandLine;
using Luma.Unified.Runtime;

namespace Luma.Unified.Cli.Commands;

/// <summary><c>luma env</c>: what this machine offers a run.</summary>
public static class EnvCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("env", "Print TorchSharp and libtorch versions, device, threads, CUDA availability and CPU features.");
        command.SetAction(_ => CommandGuard.Run(error, () =>
        {
            var report = EnvironmentReport.Collect();
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
}

using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Optimization;

/// <summary>Reads an optimizer's saved state (PyTorch pickle) onto the device its parameters live on.</summary>
public static class OptimizerStateFile
{
    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="optimizer"/>. The unpickled moments are CPU tensors; on CUDA
    /// they are moved to the parameters' device, where the first step after resuming would otherwise stop with a
    /// device mismatch.
    /// </summary>
    public static void Load(OptimizerHelper optimizer, string path)
    {
        optimizer.load_py(path);
        var first = optimizer.parameters().FirstOrDefault();
        if (first is not null && first.device_type != DeviceType.CPU)
        {
            optimizer.to(first.device);
        }
    }
}

namespace Luma.Unified.Config.Options;

/// <summary>Where tensors live, as the configuration asks for it.</summary>
public enum DeviceRequest
{
    /// <summary>CUDA when a GPU and a CUDA build are present, else CPU.</summary>
    Auto,
    Cpu,
    Cuda,
}

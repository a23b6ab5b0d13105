using Luma.Unified.Runtime;

namespace Luma.Unified.Tests.Support;

/// <summary>Base for tests that use tensors: libtorch is loaded (and its shim relaxed if needed) before any test body runs.</summary>
public abstract class TorchTest
{
    protected TorchTest()
    {
        TorchRuntime.EnsureLoaded();
    }
}

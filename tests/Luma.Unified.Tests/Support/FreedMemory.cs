using static TorchSharp.torch;

namespace Luma.Unified.Tests.Support;

/// <summary>
/// Makes reads of uninitialised native memory visible: allocates NaN-filled tensors over a spread of sizes (1 KiB to
/// 16 MiB) and frees them, so the allocations that follow on this thread get memory full of NaN instead of whatever
/// was there. A kernel that reads memory it never wrote (libtorch's CPU convolution backward for few output channels,
/// see ChannelPadding in ChannelPaddedConvolutions.cs) then produces NaN every time instead of at a random training step.
/// </summary>
public static class FreedMemory
{
    /// <summary>Leaves this thread's freed memory holding NaN; call it between a forward pass and its backward.</summary>
    public static void FillWithNaN()
    {
        var blocks = new List<Tensor>();
        for (var kib = 1; kib <= 128; kib++)
        {
            blocks.Add(full([kib * 256L], float.NaN));
        }
        foreach (var mib in new[] { 0.25, 0.5, 1, 2, 4, 8, 16 })
        {
            blocks.Add(full([(long)(mib * 262_144)], float.NaN));
        }
        foreach (var block in blocks)
        {
            block.Dispose();
        }
    }

    /// <summary>The first parameter of <paramref name="module"/> whose gradient holds a NaN or infinity, or null.</summary>
    public static string? FirstNonFiniteGradient(nn.Module module)
    {
        foreach (var (name, parameter) in module.named_parameters())
        {
            if (parameter.grad is { } grad && !grad.isfinite().all().item<bool>())
            {
                return name;
            }
        }
        return null;
    }

    /// <summary>The first parameter of <paramref name="module"/> that holds a NaN or infinity, or null.</summary>
    public static string? FirstNonFiniteParameter(nn.Module module)
    {
        foreach (var (name, parameter) in module.named_parameters())
        {
            if (!parameter.isfinite().all().item<bool>())
            {
                return name;
            }
        }
        return null;
    }
}

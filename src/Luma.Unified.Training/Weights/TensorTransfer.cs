using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Weights;

/// <summary>
/// Moves a module's state dict to and from an exported file under PyTorch names (<see cref="PyTorchNames"/>). An
/// import is checked against the module built from the file's metadata before a byte is copied: every tensor
/// present, none extra, same dtype and shape — each problem names the file and the tensor.
/// </summary>
public static class TensorTransfer
{
    /// <summary><paramref name="module"/>'s state dict in its own order, under the names an export uses.</summary>
    public static IReadOnlyList<KeyValuePair<string, Tensor>> Exported(nn.Module module) =>
        [.. module.state_dict().Select(p => KeyValuePair.Create(PyTorchNames.Of(p.Key), p.Value.cpu()))];

    /// <summary>Checks <paramref name="file"/>'s tensors against <paramref name="module"/> and copies them in.</summary>
    /// <param name="module">The module built from the file's metadata.</param>
    /// <param name="file">The exported file (for reading and for messages).</param>
    /// <param name="entries">Its header's tensor entries.</param>
    /// <param name="what">What the module is, for messages ("the unified model its config describes").</param>
    public static void Import(nn.Module module, string file, IReadOnlyDictionary<string, SafetensorsEntry> entries, string what)
    {
        var state = module.state_dict();
        var byExportName = PyTorchNames.Inverse(state.Keys);
        foreach (var (name, key) in byExportName)
        {
            if (!entries.TryGetValue(name, out var entry))
            {
                throw new InvalidDataException($"{file} has no tensor '{name}', which {what} needs; the file holds other weights.");
            }
            var expected = state[key];
            if (entry.Dtype != DtypeName(expected.dtype))
            {
                throw new InvalidDataException($"{file}: tensor '{name}' is {entry.Dtype}; {what} keeps it as {DtypeName(expected.dtype)}.");
            }
            if (!entry.Shape.SequenceEqual(expected.shape))
            {
                throw new InvalidDataException($"{file}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}]; {what} expects [{string.Join(", ", expected.shape)}].");
            }
        }
        var extra = entries.Keys.Where(name => !byExportName.ContainsKey(name)).ToList();
        if (extra.Count > 0)
        {
            throw new InvalidDataException($"{file} holds tensor(s) {string.Join(", ", extra.Take(5).Select(n => $"'{n}'"))} that {what} has no place for; the file holds other weights.");
        }
        var tensors = SafetensorsFile.ReadTensors(file);
        try
        {
            using var noGrad = no_grad();
            foreach (var (name, key) in byExportName)
            {
                state[key].copy_(tensors[name]);
            }
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>The safetensors name of <paramref name="dtype"/>.</summary>
    public static string DtypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"dtype {dtype} has no safetensors name."),
    };
}

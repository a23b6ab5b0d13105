using static TorchSharp.torch;

namespace Luma.Unified.Data.Loading;

/// <summary>
/// One micro-batch of packed token rows. Shapes: <c>[batch, seq]</c> for every tensor.
/// Documents are packed back to back; <see cref="DocumentIds"/> tells which tokens belong together so that
/// attention never crosses a document boundary, and <see cref="Positions"/> restarts at each document.
/// </summary>
/// <param name="Inputs">Token ids fed to the model.</param>
/// <param name="Targets">The next token of each input position, or -100 where there is none to predict.</param>
/// <param name="Positions">Position of each token within its document (for rotary embeddings).</param>
/// <param name="DocumentIds">Equal values mark tokens of the same document within a row.</param>
/// <param name="Documents">Ids of the documents that contributed tokens (for logs and bad-batch reports).</param>
public sealed record TokenBatch(Tensor Inputs, Tensor Targets, Tensor Positions, Tensor DocumentIds, IReadOnlyList<string> Documents) : IDisposable
{
    /// <summary>Rows in the batch.</summary>
    public long Rows => Inputs.shape[0];

    /// <summary>Tokens per row.</summary>
    public long Length => Inputs.shape[1];

    /// <summary>Positions in the batch (data and padding).</summary>
    public long TokenCount => Inputs.numel();

    /// <inheritdoc/>
    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        Positions.Dispose();
        DocumentIds.Dispose();
    }
}

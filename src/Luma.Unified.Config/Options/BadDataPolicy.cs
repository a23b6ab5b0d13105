namespace Luma.Unified.Config.Options;

/// <summary>What the loader does with a document that does not decode (<c>data.on_error</c>).</summary>
public enum BadDataPolicy
{
    /// <summary>Stop with an error that names the shard, row and reason.</summary>
    Fail,

    /// <summary>Drop the document, count it in the logs, and go on.</summary>
    Skip,
}

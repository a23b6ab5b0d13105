using System.Net.Sockets;

namespace Luma.Unified.Distributed.Launch;

/// <summary>
/// <c>luma launch-agent</c>: what mpirun runs instead of ssh to start its daemon on node K of a multi-node launch
/// (Open MPI's <c>plm_rsh_agent</c>). It hands the command to node 0's <see cref="NodeRendezvous"/>, which has node
/// K's launch run it, and exits with the command's exit code, as ssh would.
/// </summary>
public static class RemoteShellAgent
{
    /// <summary>The words mpirun's remote-shell agent setting gets: this luma, the verb, the rendezvous port; mpirun appends the host and command.</summary>
    public static string[] Command(int port) => [.. MpirunLauncher.LumaCommand(), "launch-agent", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--"];

    public static int Run(int port, string host, IReadOnlyList<string> command, TextWriter error)
    {
        RendezvousChannel channel;
        try
        {
            channel = RendezvousChannel.Connect("127.0.0.1", port);
        }
        catch (SocketException e)
        {
            error.WriteLine($"error: luma launch-agent: no luma launch rendezvous on port {port} ({e.Message}); this verb is run by mpirun inside `luma launch --nnodes N`.");
            return 255;
        }
        using (channel)
        {
            channel.TrySend("RUN", host, RendezvousChannel.Encode(string.Join(' ', command)));
            if (channel.Receive() is ["DONE", var code])
            {
                return int.Parse(code, System.Globalization.CultureInfo.InvariantCulture);
            }
            error.WriteLine($"error: luma launch-agent: node 0's launch closed the connection before {host}'s daemon finished.");
            return 255;
        }
    }
}

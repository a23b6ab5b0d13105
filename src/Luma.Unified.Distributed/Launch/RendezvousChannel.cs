using System.Net.Sockets;
using System.Text;

namespace Luma.Unified.Distributed.Launch;

/// <summary>
/// One TCP connection of the multi-node launch rendezvous, carrying one message per line: a verb and its
/// space-separated fields. Command lines travel base64-encoded so that their spaces, quotes and newlines survive.
/// Writes are serialised because a node's connection is written by the accept loop, the agents' relays and the
/// signal handlers.
/// </summary>
public sealed class RendezvousChannel : IDisposable
{
    private readonly TcpClient client;
    private readonly StreamReader reader;
    private readonly StreamWriter writer;
    private readonly Lock writing = new();

    public RendezvousChannel(TcpClient client)
    {
        this.client = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        reader = new StreamReader(stream, new UTF8Encoding(false));
        writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
    }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/>; throws <see cref="SocketException"/> when nobody listens.</summary>
    public static RendezvousChannel Connect(string host, int port)
    {
        var client = new TcpClient();
        try
        {
            client.Connect(host, port);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return new RendezvousChannel(client);
    }

    /// <summary>Sends one message; false when the other side has gone.</summary>
    public bool TrySend(params string[] fields)
    {
        lock (writing)
        {
            try
            {
                writer.WriteLine(string.Join(' ', fields));
                return true;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
            {
                return false;
            }
        }
    }

    /// <summary>The next message split into fields, or null when the connection ended.</summary>
    public string[]? Receive()
    {
        try
        {
            return reader.ReadLine()?.Split(' ');
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            return null;
        }
    }

    public static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static string Decode(string field) => Encoding.UTF8.GetString(Convert.FromBase64String(field));

    public void Dispose()
    {
        try
        {
            writer.Dispose();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // The peer is gone; there is nothing left to flush to.
        }
        reader.Dispose();
        client.Dispose();
    }
}

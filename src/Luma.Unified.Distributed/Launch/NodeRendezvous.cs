using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Luma.Unified.Distributed.Launch;

/// <summary>
/// Node 0's side of a multi-node <c>luma launch</c>: a TCP rendezvous on MASTER_PORT that the launch of every other
/// node joins. Once all have joined, node 0 runs one mpirun over every node. mpirun starts its daemon (orted) on a
/// remote node through a remote-shell agent; here that agent is <c>luma launch-agent</c>, which asks this rendezvous
/// to have that node's launch run the daemon's command. So no ssh between nodes is needed, mpirun still forms one
/// MPI world and still ends the whole job when any rank fails, and every node's launch exits with the job's code.
/// </summary>
public sealed class NodeRendezvous : IDisposable
{
    private const string NamePrefix = "luma-node-";

    private readonly TcpListener listener;
    private readonly RendezvousChannel?[] nodes;
    private readonly ConcurrentDictionary<int, (int Node, TaskCompletionSource<int> Done)> requests = new();
    private readonly CancellationTokenSource closing = new();
    private readonly TextWriter log;
    private int lastRequest;
    private volatile bool finished;

    private NodeRendezvous(TcpListener listener, int nodeCount, TextWriter log)
    {
        this.listener = listener;
        nodes = new RendezvousChannel?[nodeCount];
        this.log = log;
    }

    /// <summary>Raised (once per node, from a background thread) when a node's launch disconnects before the job ended.</summary>
    public event Action<int>? NodeLost;

    public int NodeCount => nodes.Length;

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>The host name mpirun is given for node <paramref name="node"/>: this machine for node 0, a name only the agent resolves for the rest.</summary>
    public static string NodeName(int node) => node == 0 ? Environment.MachineName : NamePrefix + node.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Listens on <paramref name="port"/> (every interface) and returns once nodes 1 … <paramref name="nodeCount"/>−1
    /// have joined with the same layout, or throws naming the nodes still missing after <paramref name="joinTimeout"/>.
    /// </summary>
    public static NodeRendezvous Gather(int port, int nodeCount, int processesPerNode, TimeSpan joinTimeout, TextWriter log)
    {
        var listener = new TcpListener(IPAddress.Any, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new IOException($"luma launch (node 0): cannot listen on --master-port {port} ({e.Message}); choose a free port.", e);
        }
        var rendezvous = new NodeRendezvous(listener, nodeCount, log);
        try
        {
            rendezvous.AwaitNodes(processesPerNode, joinTimeout);
        }
        catch
        {
            rendezvous.Dispose();
            throw;
        }
        _ = Task.Run(rendezvous.ServeAgentsAsync);
        return rendezvous;
    }

    /// <summary>Asks every node's launch to SIGTERM its workers (they then stop together at a step boundary and save).</summary>
    public void TerminateWorkers()
    {
        foreach (var node in nodes.Skip(1))
        {
            node?.TrySend("TERM");
        }
    }

    /// <summary>Tells every node the job's exit code; their launches exit with it.</summary>
    public void Finish(int exitCode)
    {
        finished = true;
        foreach (var node in nodes.Skip(1))
        {
            node?.TrySend("EXIT", exitCode.ToString(CultureInfo.InvariantCulture));
        }
    }

    private void AwaitNodes(int processesPerNode, TimeSpan joinTimeout)
    {
        using var deadline = new CancellationTokenSource(joinTimeout);
        while (nodes.Skip(1).Any(n => n is null))
        {
            TcpClient client;
            try
            {
                client = listener.AcceptTcpClientAsync(deadline.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                var missing = Enumerable.Range(1, nodes.Length - 1).Where(n => nodes[n] is null);
                throw new TimeoutException(
                    $"luma launch (node 0): node(s) {string.Join(", ", missing)} of {nodes.Length} did not join within {joinTimeout.TotalSeconds:0} s; " +
                    $"start `luma launch --nnodes {nodes.Length} --node-rank K --master-addr ADDRESS-OF-NODE-0 --master-port {Port} ...` on each of them.");
            }
            var peer = client.Client.RemoteEndPoint;
            var channel = new RendezvousChannel(client);
            client.ReceiveTimeout = 10_000;
            var hello = channel.Receive();
            client.ReceiveTimeout = 0;
            // Anything but a luma launch's JOIN (a port scanner, a stray client) is dropped, and the wait goes on.
            if (hello is not ["JOIN", var rankText, var countText, var perNodeText]
                || !int.TryParse(rankText, NumberStyles.None, CultureInfo.InvariantCulture, out var rank)
                || !int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                || !int.TryParse(perNodeText, NumberStyles.None, CultureInfo.InvariantCulture, out var perNode))
            {
                channel.Dispose();
                log.WriteLine($"luma launch: ignored a connection from {peer} that did not join as a luma launch node.");
                continue;
            }
            var problem =
                count != nodes.Length ? $"it was started with --nnodes {countText}, node 0 with --nnodes {nodes.Length}"
                : perNode != processesPerNode ? $"it was started with --nproc-per-node {perNodeText}, node 0 with --nproc-per-node {processesPerNode}"
                : rank < 1 || rank >= nodes.Length ? $"--node-rank {rank} is not one of 1..{nodes.Length - 1}"
                : nodes[rank] is not null ? $"node rank {rank} has already joined"
                : null;
            if (problem is not null)
            {
                channel.TrySend("REJECT", RendezvousChannel.Encode(problem));
                channel.Dispose();
                throw new InvalidDataException($"luma launch (node 0): node {rank} from {peer} cannot join: {problem}.");
            }
            nodes[rank] = channel;
            channel.TrySend("WELCOME");
            log.WriteLine($"luma launch: node {rank} of {nodes.Length} joined from {peer}.");
        }
        for (var rank = 1; rank < nodes.Length; rank++)
        {
            var node = rank;
            _ = Task.Run(() => ListenToNode(node));
        }
    }

    /// <summary>Completes the daemon requests a node reports on; a node that disconnects early fails its requests and is reported lost.</summary>
    private void ListenToNode(int node)
    {
        while (nodes[node]!.Receive() is { } message)
        {
            if (message is ["DONE", var id, var code] && requests.TryRemove(int.Parse(id, CultureInfo.InvariantCulture), out var request))
            {
                request.Done.TrySetResult(int.Parse(code, CultureInfo.InvariantCulture));
            }
        }
        foreach (var (id, request) in requests.Where(r => r.Value.Node == node).ToList())
        {
            requests.TryRemove(id, out _);
            request.Done.TrySetResult(255);
        }
        if (!finished)
        {
            NodeLost?.Invoke(node);
        }
    }

    /// <summary>Each connection after the join is mpirun's agent: "RUN luma-node-K COMMAND", answered with the command's exit code.</summary>
    private async Task ServeAgentsAsync()
    {
        while (!closing.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(closing.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => RelayDaemon(new RendezvousChannel(client)));
        }
    }

    private async Task RelayDaemon(RendezvousChannel agent)
    {
        using (agent)
        {
            if (agent.Receive() is not ["RUN", var host, var command]
                || !host.StartsWith(NamePrefix, StringComparison.Ordinal)
                || !int.TryParse(host[NamePrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var node)
                || node < 1 || node >= nodes.Length)
            {
                agent.TrySend("DONE", "255");
                return;
            }
            var id = Interlocked.Increment(ref lastRequest);
            var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            requests[id] = (node, done);
            if (!nodes[node]!.TrySend("RUN", id.ToString(CultureInfo.InvariantCulture), command))
            {
                requests.TryRemove(id, out _);
                done.TrySetResult(255);
            }
            var code = await done.Task;
            agent.TrySend("DONE", code.ToString(CultureInfo.InvariantCulture));
        }
    }

    public void Dispose()
    {
        closing.Cancel();
        listener.Stop();
        foreach (var node in nodes)
        {
            node?.Dispose();
        }
        closing.Dispose();
    }
}

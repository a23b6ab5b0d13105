using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Luma.Unified.Cli;
using Luma.Unified.Distributed.Launch;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Distributed;

/// <summary>
/// <c>luma launch --nnodes 2</c> with both "nodes" on this machine: node 1's launch joins node 0's rendezvous and
/// runs the mpirun daemon node 0 hands it, exactly as on two machines (mpirun addresses node 1 by a name only the
/// rendezvous resolves, so even here its daemon is started through node 1's launch).
/// </summary>
public sealed class MultiNodeLaunchTests
{
    private static readonly string[] PerRank =
        ["train.steps=4", "checkpoint.every=0", $"train.micro_batch={LaunchedTraining.RowsPerRank}", $"train.global_batch={2 * LaunchedTraining.RowsPerRank}"];

    [Fact]
    public async Task TwoNodesOfOneWorkerEndWithTheWeightsOfOneNodeOfTwo()
    {
        using var temp = new TempDirectory();
        var port = FreePort();
        using var node1 = LumaProcess.Start(temp.Path, Launch(1, port, 1, LaunchedTraining.TrainArguments(temp.Combine("nodes"), PerRank)));
        var node1Output = node1.StandardOutput.ReadToEndAsync();
        var node1Error = node1.StandardError.ReadToEndAsync();
        var node0 = LumaProcess.Child(temp.Path, Launch(0, port, 1, LaunchedTraining.TrainArguments(temp.Combine("nodes"), PerRank)));

        Assert.True(node1.WaitForExit(TimeSpan.FromSeconds(60)), "node 1's launch did not exit after the job ended");
        Assert.True(node0.ExitCode == ExitCodes.Success, node0.Output + node0.Error);
        Assert.True(node1.ExitCode == ExitCodes.Success, await node1Output + await node1Error);
        Assert.Matches(@"node 1 of 2 joined from 127\.0\.0\.1:\d+", node0.Output);
        Assert.Contains("Data parallel: rank 0 of 2 via Open MPI", node0.Output, StringComparison.Ordinal);
        Assert.Contains($"node 1 of 2 joined node 0 at 127.0.0.1:{port}", await node1Output, StringComparison.Ordinal);

        var oneNode = LaunchedTraining.TwoRanks(temp.Path, temp.Combine("one-node"), PerRank);
        Assert.True(oneNode.ExitCode == ExitCodes.Success, oneNode.Error);
        var difference = LaunchedTraining.MaxDifference(LaunchedTraining.Checkpoint(temp.Combine("nodes"), 4), LaunchedTraining.Checkpoint(temp.Combine("one-node"), 4));
        Assert.InRange(difference, 0, 1e-5);
    }

    [Fact]
    public void MpirunReachesTheOtherNodesThroughTheRendezvousAgentWithoutSsh()
    {
        using var rendezvous = NodeRendezvousForTest(out var port);
        var arguments = MpirunLauncher.Arguments(4, ["train"], rendezvous).ToList();

        Assert.Equal(["-np", "8"], arguments.Take(2));
        Assert.Equal($"{Environment.MachineName}:4,luma-node-1:4", arguments[arguments.IndexOf("--host") + 1]);
        var agent = arguments[arguments.IndexOf("plm_rsh_agent") + 1];
        Assert.EndsWith($"launch-agent --port {port} --", agent, StringComparison.Ordinal);
        Assert.Equal("1", arguments[arguments.IndexOf("plm_rsh_no_tree_spawn") + 1]);
    }

    [Fact]
    public void ANodeThatNeverJoinsEndsNode0WithAMessageNamingIt()
    {
        using var temp = new TempDirectory();
        var clock = Stopwatch.StartNew();
        var node0 = LumaProcess.Child(temp.Path, Launch(0, FreePort(), 1, ["train", "--config", Repo.Config("tiny-text.yaml")], joinTimeout: 2));

        Assert.Equal(ExitCodes.RuntimeFailure, node0.ExitCode);
        Assert.Contains("node(s) 1 of 2 did not join within 2 s", node0.Error, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed.TotalSeconds, 2, 30);
    }

    [Fact]
    public void Node1WithoutANode0GivesUpAfterTheJoinTimeout()
    {
        using var temp = new TempDirectory();
        var port = FreePort();
        var node1 = LumaProcess.Child(temp.Path, Launch(1, port, 1, ["train", "--config", Repo.Config("tiny-text.yaml")], joinTimeout: 2));

        Assert.Equal(ExitCodes.RuntimeFailure, node1.ExitCode);
        Assert.Contains($"could not reach node 0 at 127.0.0.1:{port} within 2 s", node1.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodesStartedWithDifferentWorkerCountsAreRefusedOnBothSides()
    {
        using var temp = new TempDirectory();
        var port = FreePort();
        using var node1 = LumaProcess.Start(temp.Path, Launch(1, port, 2, ["train", "--config", Repo.Config("tiny-text.yaml")]));
        var node1Error = node1.StandardError.ReadToEndAsync();
        var node0 = LumaProcess.Child(temp.Path, Launch(0, port, 1, ["train", "--config", Repo.Config("tiny-text.yaml")]));

        Assert.True(node1.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(ExitCodes.RuntimeFailure, node0.ExitCode);
        Assert.Contains("node 1 from 127.0.0.1", node0.Error, StringComparison.Ordinal);
        Assert.Contains("it was started with --nproc-per-node 2, node 0 with --nproc-per-node 1", node0.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.RuntimeFailure, node1.ExitCode);
        Assert.Contains("node 0 refused this node", await node1Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KillingNode1sLaunchEndsTheWholeJobOnNode0()
    {
        using var temp = new TempDirectory();
        var run = temp.Combine("run");
        var port = FreePort();
        var train = LaunchedTraining.TrainArguments(run, [.. PerRank[1..], "train.steps=100000", "train.log_every=1000", "train.collective_timeout_s=30"]);
        using var node1 = LumaProcess.Start(temp.Path, Launch(1, port, 1, train));
        using var node0 = LumaProcess.Start(temp.Path, Launch(0, port, 1, train));
        var node0Error = node0.StandardError.ReadToEndAsync();
        _ = node0.StandardOutput.ReadToEndAsync();
        _ = node1.StandardOutput.ReadToEndAsync();
        _ = node1.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (LaunchedTraining.Workers(run).Count < 2 && !node0.HasExited && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(200);
        }
        Assert.Equal(2, LaunchedTraining.Workers(run).Count);

        node1.Kill();

        Assert.True(node0.WaitForExit(TimeSpan.FromSeconds(30)), "node 0's launch did not end within 30 s of losing node 1");
        Assert.NotEqual(ExitCodes.Success, node0.ExitCode);
        Assert.Contains("lost node 1's launch", await node0Error, StringComparison.Ordinal);
        var settle = Stopwatch.StartNew();
        while (LaunchedTraining.Workers(run).Count > 0 && settle.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(200);
        }
        Assert.Empty(LaunchedTraining.Workers(run));
    }

    private static string[] Launch(int nodeRank, int port, int perNode, IEnumerable<string> worker, int joinTimeout = 60) =>
        ["launch", "--nnodes", "2", "--node-rank", nodeRank.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--nproc-per-node", perNode.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--master-addr", "127.0.0.1", "--master-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--join-timeout", joinTimeout.ToString(System.Globalization.CultureInfo.InvariantCulture), "--", .. worker];

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Node0IgnoresAConnectionThatIsNotALumaLaunchAndGoesOnWaiting()
    {
        var port = FreePort();
        var log = new StringWriter();
        var joins = Task.Run(() => (Stray: Join(port, "JOIN", "one", "2", "4"), Node1: Join(port, "JOIN", "1", "2", "4")));

        using var rendezvous = NodeRendezvous.Gather(port, 2, 4, TimeSpan.FromSeconds(10), log);

        var (stray, node1) = await joins;
        Assert.Null(stray);
        Assert.Equal(["WELCOME"], node1!);
        Assert.Matches(@"ignored a connection from 127\.0\.0\.1:\d+ that did not join as a luma launch node", log.ToString());
        Assert.Contains("node 1 of 2 joined", log.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A rendezvous of two nodes whose node 1 is this test, joined by hand.</summary>
    private static NodeRendezvous NodeRendezvousForTest(out int port)
    {
        port = FreePort();
        var joinPort = port;
        var join = Task.Run(() => Join(joinPort, "JOIN", "1", "2", "4"));
        var rendezvous = NodeRendezvous.Gather(port, 2, 4, TimeSpan.FromSeconds(10), TextWriter.Null);
        Assert.Equal(["WELCOME"], join.GetAwaiter().GetResult()!);
        return rendezvous;
    }

    /// <summary>Connects to node 0's rendezvous once it listens, sends <paramref name="hello"/> and returns the answer (null: closed).</summary>
    private static string[]? Join(int port, params string[] hello)
    {
        using var client = new TcpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                client.Connect(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
        using var channel = new RendezvousChannel(client);
        channel.TrySend(hello);
        return channel.Receive();
    }
}

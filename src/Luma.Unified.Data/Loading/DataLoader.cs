using System.Diagnostics;
using System.Threading.Channels;
using Luma.Unified.Config.Options;
using Luma.Unified.Runtime.Native;

namespace Luma.Unified.Data.Loading;

/// <summary>
/// The training input pipeline: mixer → decode workers → packer → bounded prefetch queue. A background
/// thread reads documents in stream order, decodes/tokenizes them on <c>workers</c> threads (order kept),
/// packs rows and queues up to <c>prefetch</c> batches, so a training step only waits when decoding cannot
/// keep up. <see cref="State"/> is the state after the last batch handed out; <see cref="Restore"/> rebuilds
/// the pipeline there, so a resumed run sees exactly the batches an uninterrupted one would have. The pipeline starts
/// at the first <see cref="Next"/>, inside the trainer's first no-GC region, and decodes under
/// <see cref="CollectionGate"/> passes: decoding runs the codecs' encoders through libtorch beside the training
/// thread, whose step-boundary collections must not land in those calls.
/// </summary>
public sealed class DataLoader : IDisposable
{
    private readonly DocumentMixer _mixer;
    private readonly DocumentEncoder _encoder;
    private readonly SequencePacker _packer;
    private readonly int _batchRows;
    private readonly int _workers;
    private readonly int _prefetch;
    private readonly BadDataPolicy _policy;
    private readonly Action<string>? _onSkip;
    private readonly Queue<PositionedDocument> _decoded = new();
    private Channel<PackedBatch> _queue = Channel.CreateBounded<PackedBatch>(1);
    private CancellationTokenSource _stop = new();
    private Task _producer = Task.CompletedTask;
    private bool _running;
    private long _skipped;

    public DataLoader(
        DocumentMixer mixer, DocumentEncoder encoder, int rowLength, int batchRows, int workers, int prefetch,
        BadDataPolicy policy, Action<string>? onSkip = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(prefetch, 1);
        (_mixer, _encoder, _batchRows, _workers, _prefetch, _policy, _onSkip) = (mixer, encoder, batchRows, workers, prefetch, policy, onSkip);
        _packer = new SequencePacker(rowLength);
        State = _packer.State(mixer.Position);
    }

    /// <summary>State after the last batch returned by <see cref="Next"/>.</summary>
    public LoaderState State { get; private set; }

    /// <summary>Documents dropped under <see cref="BadDataPolicy.Skip"/>.</summary>
    public long SkippedDocuments => Interlocked.Read(ref _skipped);

    /// <summary>Total time <see cref="Next"/> spent waiting for the background pipeline.</summary>
    public TimeSpan WaitTime { get; private set; }

    /// <summary>The next batch (blocks while the queue is empty); a data error from the pipeline is rethrown here.</summary>
    public PackedBatch Next()
    {
        var clock = Stopwatch.StartNew();
        if (!_running)
        {
            Start();
        }
        try
        {
            var batch = _queue.Reader.ReadAsync().AsTask().GetAwaiter().GetResult();
            State = batch.After;
            return batch;
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            throw e.InnerException is InvalidDataException data ? new InvalidDataException(data.Message, data) : e.InnerException;
        }
        finally
        {
            WaitTime += clock.Elapsed;
        }
    }

    /// <summary>Stops the pipeline and restarts it at <paramref name="state"/>.</summary>
    public void Restore(LoaderState state)
    {
        StopProducer();
        _decoded.Clear();
        _mixer.Restore(state.Source);
        PositionedDocument? head = null;
        if (state.Segment > 0 || state.TokenOffset > 0)
        {
            head = NextDocument();
        }
        _packer.Restore(head, state.Segment, state.TokenOffset);
        State = state;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        StopProducer();
        _stop.Dispose();
    }

    private void Start()
    {
        _running = true;
        _stop = new CancellationTokenSource();
        _queue = Channel.CreateBounded<PackedBatch>(new BoundedChannelOptions(_prefetch) { SingleReader = true, SingleWriter = true });
        var token = _stop.Token;
        var writer = _queue.Writer;
        _producer = Task.Factory.StartNew(() =>
        {
            try
            {
                while (!token.IsCancellationRequested)
                {
                    var rows = new List<PackedRow>(_batchRows);
                    for (var r = 0; r < _batchRows; r++)
                    {
                        rows.Add(_packer.NextRow(NextDocument));
                    }
                    var after = _packer.State(_decoded.Count > 0 ? _decoded.Peek().Before : _mixer.Position);
                    writer.WriteAsync(new PackedBatch(rows, after), token).AsTask().GetAwaiter().GetResult();
                }
                writer.TryComplete();
            }
            catch (OperationCanceledException)
            {
                writer.TryComplete();
            }
            catch (Exception e)
            {
                writer.TryComplete(e);
            }
        }, token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void StopProducer()
    {
        _running = false;
        _stop.Cancel();
        // Unblock a producer waiting on a full queue, then wait for it to leave the pipeline state alone.
        while (_queue.Reader.TryRead(out _))
        {
        }
        try
        {
            _producer.Wait();
        }
        catch (AggregateException)
        {
        }
    }

    private PositionedDocument NextDocument()
    {
        while (_decoded.Count == 0)
        {
            DecodeAhead();
        }
        return _decoded.Dequeue();
    }

    // Reads a run of documents in stream order, decodes them in parallel, and queues the good ones in order.
    private void DecodeAhead()
    {
        var run = new (SourcedDocument Document, MixerPosition Before)[_workers * 4];
        for (var i = 0; i < run.Length; i++)
        {
            var before = _mixer.Position;
            run[i] = (_mixer.Next(), before);
        }
        var encoded = new PackableDocument?[run.Length];
        var errors = new InvalidDataException?[run.Length];
        Parallel.For(0, run.Length, new ParallelOptions { MaxDegreeOfParallelism = _workers }, i =>
        {
            try
            {
                using var pass = CollectionGate.Enter();
                encoded[i] = _encoder.Encode(run[i].Document);
            }
            catch (InvalidDataException e)
            {
                errors[i] = e;
            }
        });
        for (var i = 0; i < run.Length; i++)
        {
            if (errors[i] is { } error)
            {
                if (_policy == BadDataPolicy.Fail)
                {
                    throw error;
                }
                Interlocked.Increment(ref _skipped);
                _onSkip?.Invoke(error.Message);
                continue;
            }
            _decoded.Enqueue(new PositionedDocument(encoded[i]!, run[i].Before));
        }
    }
}

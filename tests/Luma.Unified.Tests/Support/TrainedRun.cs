using Luma.Unified.Config;
using Luma.Unified.Training;
using Luma.Unified.Training.Observability;

namespace Luma.Unified.Tests.Support;

/// <summary>A unified model trained once in a temporary directory and shared by a test collection.</summary>
public abstract class TrainedRun : IDisposable
{
    protected TrainedRun()
    {
        Luma.Unified.Runtime.TorchRuntime.EnsureLoaded();
    }

    protected TempDirectory Temp { get; } = new();

    public LoadedConfig Config { get; private set; } = null!;

    public RunDirectory Run { get; private set; } = null!;

    public TrainingResult Result { get; private set; } = null!;

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Trains <paramref name="config"/> into <c>run/</c> of the temporary directory.</summary>
    protected void Train(LoadedConfig config)
    {
        Config = config;
        Run = RunDirectory.Create(Temp.Combine("run"), config.ToYaml());
        using var log = RunLogging.Create(Run.LogFile);
        Result = new Trainer(config, Run, log).Run();
    }
}

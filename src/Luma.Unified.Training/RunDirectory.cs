namespace Luma.Unified.Training;

/// <summary>
/// The files of one run: <c>config.yaml</c> (resolved config), <c>log.jsonl</c> (structured log),
/// <c>metrics.jsonl</c> (one object per logged step), <c>tensorboard/</c> (the same as event files) and <c>checkpoints/step_NNNNNNNN/</c>.
/// </summary>
public sealed record RunDirectory(string Root)
{
    public string ConfigFile => Path.Combine(Root, "config.yaml");

    public string LogFile => Path.Combine(Root, "log.jsonl");

    public string MetricsFile => Path.Combine(Root, "metrics.jsonl");

    public string CheckpointsDirectory => Path.Combine(Root, "checkpoints");

    public string TensorBoardDirectory => Path.Combine(Root, "tensorboard");

    /// <summary>Creates the directory tree and writes the resolved config.</summary>
    public static RunDirectory Create(string root, string resolvedConfigYaml)
    {
        var run = new RunDirectory(Path.GetFullPath(root));
        Directory.CreateDirectory(run.CheckpointsDirectory);
        File.WriteAllText(run.ConfigFile, resolvedConfigYaml);
        return run;
    }

    /// <summary>An existing run directory; throws with the path when it has no config.yaml.</summary>
    public static RunDirectory Open(string root)
    {
        var run = new RunDirectory(Path.GetFullPath(root));
        if (!File.Exists(run.ConfigFile))
        {
            throw new FileNotFoundException($"{run.Root} is not a run directory: {run.ConfigFile} does not exist. Pass the --run-dir of a `luma train` run.");
        }
        return run;
    }
}

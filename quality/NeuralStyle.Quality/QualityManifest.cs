namespace NeuralStyle.Quality;

// runs.json, written by quality/Invoke-QualityBench.ps1: what ran, where its outputs are, how long it took.

public sealed record QualityManifest(QualitySettings Settings, IReadOnlyList<QualityTask> Tasks);

/// <summary>How the run was configured; Iterations null = the cmdlets' default.</summary>
public sealed record QualitySettings(int TextureShortSide, int TextureSize, int TransferMaxSize, int? Iterations, int Evaluations,
    int Seed, bool Subset, string? Commit);

/// <summary>
/// One texture (Kind "texture", Reference = the scaled source) or transfer (Kind "transfer", Reference = the scaled style,
/// Content = the scaled content); Inputs are the sheet's first tiles (source, or content and style).
/// </summary>
public sealed record QualityTask(string Name, string Kind, string Reference, string? Content, IReadOnlyList<string> Inputs,
    IReadOnlyList<QualityRun> Runs);

/// <summary>One method's output: Steps are objective evaluations, Seconds wall time from the call to the file (network loading included).</summary>
public sealed record QualityRun(string Method, string Path, double Seconds, int Steps, int Octaves, bool Cached);

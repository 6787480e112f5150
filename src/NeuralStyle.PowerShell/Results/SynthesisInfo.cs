using NeuralStyle.Core.Synthesis;

namespace NeuralStyle.PowerShell.Results;

/// <summary>What every synthesis cmdlet reports about an image it wrote: where, how big, and how it was made (seed to reproduce it).</summary>
public abstract record SynthesisInfo
{
    /// <param name="elapsed">The item's whole wall time: reading, style targets, optimisation and writing.</param>
    private protected SynthesisInfo(string path, SynthesisPlan plan, SynthesisResult result, TimeSpan elapsed)
    {
        Path = path;
        Width = plan.Width;
        Height = plan.Height;
        Seconds = Math.Round(elapsed.TotalSeconds, 2);
        OptimizationSeconds = Math.Round(result.Elapsed.TotalSeconds, 2);
        Steps = result.Steps;
        FinalLoss = result.FinalLoss;
        Model = result.Network;
        Device = result.Device;
        Seed = result.Seed;
        Octaves = plan.Octaves;
        Threads = result.Threads;
    }

    public string Path { get; }
    public int Width { get; }
    public int Height { get; }
    /// <summary>The whole job's wall time for this image (inputs read, style targets, optimisation, file written).</summary>
    public double Seconds { get; }

    /// <summary>The part of <see cref="Seconds"/> spent in the synthesis itself (content targets and optimisation).</summary>
    public double OptimizationSeconds { get; }
    public int Steps { get; }
    public double FinalLoss { get; }
    public string Model { get; }
    public string Device { get; }
    public long Seed { get; }
    public int Octaves { get; }

    /// <summary>libtorch intra-op threads this item ran with (the process's thread budget, or -ThreadCount).</summary>
    public int Threads { get; }
}

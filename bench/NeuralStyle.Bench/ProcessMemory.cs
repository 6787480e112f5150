namespace NeuralStyle.Bench;

/// <summary>Resident memory of this process from /proc/self/status (Linux).</summary>
public static class ProcessMemory
{
    public static long Rss => Read("VmRSS");

    /// <summary>Highest resident set size since start or since the last <see cref="ResetPeak"/>.</summary>
    public static long Peak => Read("VmHWM");

    /// <summary>
    /// Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+), so the peak measured
    /// afterwards covers the optimisation steps and not the loading of the network.
    /// </summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long Read(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(key + ":", StringComparison.Ordinal)) continue;
            var kb = line[(key.Length + 1)..].Trim().Split(' ')[0];
            return long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException($"/proc/self/status has no {key} line.");
    }
}

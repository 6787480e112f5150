using System.Diagnostics;
using System.Globalization;

namespace NeuralStyle.Bench;

/// <summary>
/// How much CPU other processes used while a measurement ran, in cores on average: the machine's
/// busy time (/proc/stat) minus this process's and its waited-for children's (/proc/self/stat).
/// The load average cannot tell: it counts the bench's own work too.
/// </summary>
public sealed class OtherLoad
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux ABI we target
    private readonly long machineStart = MachineBusyTicks();
    private readonly long ownStart = OwnTicks();
    private readonly Stopwatch clock = Stopwatch.StartNew();

    /// <summary>Average number of cores other processes kept busy since this object was created (NaN where /proc is missing).</summary>
    public double Cores()
    {
        if (!File.Exists("/proc/stat")) return double.NaN;
        var others = (MachineBusyTicks() - machineStart) - (OwnTicks() - ownStart);
        return Math.Max(0, others / TicksPerSecond / clock.Elapsed.TotalSeconds);
    }

    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice": busy = all but idle and iowait (guest is inside user).
    private static long MachineBusyTicks()
    {
        if (!File.Exists("/proc/stat")) return 0;
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7];
    }

    // utime, stime, cutime, cstime: fields 14–17, counted after the parenthesised command name.
    private static long OwnTicks()
    {
        if (!File.Exists("/proc/self/stat")) return 0;
        var text = File.ReadAllText("/proc/self/stat");
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
    }
}

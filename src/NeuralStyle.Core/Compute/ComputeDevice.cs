using System.Globalization;

namespace NeuralStyle.Core.Compute;

/// <summary>What kind of device a request names; <see cref="Auto"/> picks CUDA when a usable GPU is present.</summary>
public enum DeviceKind
{
    Auto,
    Cpu,
    Cuda,
}

/// <summary>
/// A device as the user names it: <c>Auto</c>, <c>Cpu</c>, <c>Cuda</c> (libtorch's current GPU) or <c>Cuda:N</c>
/// (GPU N, as CUDA numbers the visible ones), read from the user's text by <see cref="Parse"/>, so one worker per GPU
/// is <c>-Device Cuda:$index</c>.
/// </summary>
public sealed record ComputeDevice
{
    private ComputeDevice(DeviceKind kind, int? index)
    {
        Kind = kind;
        Index = index;
    }

    public static ComputeDevice Auto { get; } = new(DeviceKind.Auto, null);
    public static ComputeDevice Cpu { get; } = new(DeviceKind.Cpu, null);
    public static ComputeDevice Cuda { get; } = new(DeviceKind.Cuda, null);

    /// <summary>GPU <paramref name="index"/>; whether it exists is decided when the device is selected.</summary>
    public static ComputeDevice CudaAt(int index) => index >= 0
        ? new(DeviceKind.Cuda, index)
        : throw new ArgumentOutOfRangeException(nameof(index), index, "A CUDA device index is 0 or more.");

    public DeviceKind Kind { get; }

    /// <summary>The GPU index for <c>Cuda:N</c>; null for Auto, Cpu and plain Cuda.</summary>
    public int? Index { get; }

    /// <summary>Reads <c>Auto</c>, <c>Cpu</c>, <c>Cuda</c> or <c>Cuda:N</c>, ignoring case and surrounding blanks.</summary>
    /// <exception cref="InvalidSettingException">Any other text (<see cref="SettingError.InvalidDevice"/>, the text as its value); the message lists the accepted forms.</exception>
    public static ComputeDevice Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var colon = trimmed.IndexOf(':');
        var name = colon < 0 ? trimmed : trimmed[..colon];
        if (!Enum.TryParse<DeviceKind>(name, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || name.Any(char.IsDigit))
            throw new InvalidSettingException(SettingError.InvalidDevice, text, $"'{text}' is not a device. Use Auto, Cpu, Cuda or Cuda:N (N = 0, 1, … as Get-StyleDevice lists them).");
        if (colon < 0) return kind switch { DeviceKind.Cpu => Cpu, DeviceKind.Cuda => Cuda, _ => Auto };
        var digits = trimmed[(colon + 1)..];
        if (kind != DeviceKind.Cuda)
            throw new InvalidSettingException(SettingError.InvalidDevice, text, $"'{text}': only Cuda takes a device index (Cuda:N); {kind} does not.");
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            throw new InvalidSettingException(SettingError.InvalidDevice, text, $"'{text}': the CUDA device index must be a whole number 0 or more, as in Cuda:1.");
        return CudaAt(index);
    }

    /// <summary>The form <see cref="Parse"/> reads back: <c>Cpu</c>, <c>Cuda</c>, <c>Cuda:1</c>.</summary>
    public override string ToString() => Index is int i ? $"{Kind}:{i}" : Kind.ToString();
}

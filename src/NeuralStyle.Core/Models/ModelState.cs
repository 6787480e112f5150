namespace NeuralStyle.Core.Models;

/// <summary>Whether a model's weights are on this machine and known to be intact.</summary>
public enum ModelState
{
    /// <summary>Shipped with the module and present.</summary>
    Bundled,

    /// <summary>Downloaded, but its hash has not been checked since the file last changed.</summary>
    Cached,

    /// <summary>Downloaded and its SHA-256 checked (remembered in a sidecar file).</summary>
    Verified,

    /// <summary>Not on this machine; Save-StyleModel downloads it.</summary>
    NotDownloaded,

    /// <summary>A download was interrupted; the next Save-StyleModel resumes it.</summary>
    Partial,

    /// <summary>A bundled or user file that should exist but does not.</summary>
    Missing,
}

namespace NeuralStyle.Core.Runtime;

/// <summary>What went wrong while installing a runtime; the cmdlet turns each into its own error id.</summary>
public enum RuntimeInstallFailure
{
    /// <summary>The package source could not be reached (offline, wrong address, server down).</summary>
    SourceUnreachable,

    /// <summary>The source has no such package (a part of a split bundle missing, a mirror without it).</summary>
    PackageNotFound,

    /// <summary>A downloaded package's SHA-512 is not the one the source publishes.</summary>
    PackageHashMismatch,

    /// <summary>A file stitched from parts does not have the checksum its primary package records.</summary>
    FileChecksumMismatch,

    /// <summary>The transfer stopped before the package was complete (what arrived is kept).</summary>
    Interrupted,

    /// <summary>The runtime folder cannot be created or written.</summary>
    FolderNotWritable,

    /// <summary>No such runtime is published for this platform (e.g. CUDA on macOS).</summary>
    UnsupportedPlatform,
}

/// <summary>Installing a runtime failed; <see cref="Target"/> is what failed (a URL, package id or folder).</summary>
public sealed class RuntimeInstallException(RuntimeInstallFailure failure, string message, string target, Exception? inner = null)
    : Exception(message, inner)
{
    public RuntimeInstallFailure Failure { get; } = failure;

    public string Target { get; } = target;
}

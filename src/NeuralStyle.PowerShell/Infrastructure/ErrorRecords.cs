using System.Management.Automation;
using NeuralStyle.Core;
using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Models;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;
using NeuralStyle.Core.Synthesis;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>Turns engine exceptions into ErrorRecords with the category and id a script can test for.</summary>
internal static class ErrorRecords
{
    /// <summary>
    /// A user's bad argument (an engine setting or a cmdlet's parameters): it stops the whole call, as every item would
    /// fail alike. Any other ArgumentException is a bug and stays an item's error under its own type name.
    /// </summary>
    public static bool IsBadArgument(Exception e) => e is InvalidSettingException or InvalidParameterException;

    public static ErrorRecord From(Exception exception, object? target) => exception switch
    {
        // Bad arguments name themselves and their target: the value the user gave, whatever the caller passes.
        InvalidSettingException e => new ErrorRecord(e, e.Error.ToString(), ErrorCategory.InvalidArgument, e.Value),
        InvalidParameterException e => new ErrorRecord(e, e.ErrorId, ErrorCategory.InvalidArgument, e.Target),
        // Model errors first: they derive from IOException.
        ModelIntegrityException e => new ErrorRecord(e, "ModelHashMismatch", ErrorCategory.InvalidData, e.Path),
        ModelDownloadException e => new ErrorRecord(e, "ModelDownloadFailed", ErrorCategory.ConnectionError, e.Url),
        ModelCacheNotWritableException e => new ErrorRecord(e, "ModelCacheNotWritable", ErrorCategory.PermissionDenied, e.Directory),
        ModelNotAvailableException e => new ErrorRecord(e, "ModelNotAvailable", ErrorCategory.ObjectNotFound, target),
        StateDictFormatException e => new ErrorRecord(e, "InvalidModelFile", ErrorCategory.InvalidData, target),
        ModelFormatException e => new ErrorRecord(e, "InvalidModelFile", ErrorCategory.InvalidData, target),
        // An input image's own failure decides the id and category; the message adds its role.
        InputImageException e => WithMessage(From(e.InnerException!, e.Path), e.Message),
        OutputTargetException e => new ErrorRecord(e, e.ErrorId, e.Permission ? ErrorCategory.PermissionDenied : ErrorCategory.InvalidArgument, e.Path),
        ItemNotFoundException e => new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, target),
        FileNotFoundException e => new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, target),
        // Image errors name the file they are about, which in a multi-file call is more exact than the caller's target.
        ImageTooLargeException e => new ErrorRecord(e, "ImageTooLarge", ErrorCategory.LimitsExceeded, e.Path),
        TruncatedImageException e => new ErrorRecord(e, "ImageTruncated", ErrorCategory.InvalidData, e.Path),
        ImplausibleImageSizeException e => new ErrorRecord(e, "ImageSizeImplausible", ErrorCategory.InvalidData, e.Path),
        InvalidImageException e => new ErrorRecord(e, "InvalidImage", ErrorCategory.InvalidData, e.Path),
        PyramidTooSmallException e => new ErrorRecord(e, "ImageTooSmallForOctaves", ErrorCategory.InvalidArgument, target),
        CheckpointMismatchException e => new ErrorRecord(e, "CheckpointMismatch", ErrorCategory.InvalidArgument, e.Path),
        CheckpointDamagedException e => new ErrorRecord(e, "CheckpointDamaged", ErrorCategory.InvalidData, e.Path),
        OutputExistsException e => new ErrorRecord(e, "OutputExists", ErrorCategory.ResourceExists, e.Path),
        OutputNotWritableException e => new ErrorRecord(e, "OutputNotWritable", ErrorCategory.PermissionDenied, e.Path),
        OutputWriteException e => new ErrorRecord(e, "OutputWriteFailed", ErrorCategory.WriteError, e.Path),
        UnauthorizedAccessException e => new ErrorRecord(e, "OutputNotWritable", ErrorCategory.PermissionDenied, target),
        DirectoryNotFoundException e => new ErrorRecord(e, "DirectoryNotFound", ErrorCategory.ObjectNotFound, target),
        NeuralStyle.Core.Synthesis.OutputTooLargeException e => new ErrorRecord(e, "OutputTooLarge", ErrorCategory.LimitsExceeded, target),
        NeuralStyle.Core.Runtime.RuntimeNotInstalledException e => new ErrorRecord(e, "RuntimeNotInstalled", ErrorCategory.NotInstalled, target),
        // The device as the user named it (-Device Cuda:1), whatever the caller passes.
        DeviceUnavailableException e => new ErrorRecord(e, "DeviceUnavailable", ErrorCategory.ResourceUnavailable, e.Device?.ToString() ?? target),
        IOException e => new ErrorRecord(e, "FileError", ErrorCategory.WriteError, target),
        _ => new ErrorRecord(exception, exception.GetType().Name, ErrorCategory.NotSpecified, target),
    };

    private static ErrorRecord WithMessage(ErrorRecord record, string message)
    {
        record.ErrorDetails = new ErrorDetails(message);
        return record;
    }

    public static ErrorRecord PathIsDirectory(string path) => new(
        new ArgumentException($"'{path}' is a directory, not an image file."), "PathIsDirectory", ErrorCategory.InvalidArgument, path);
}

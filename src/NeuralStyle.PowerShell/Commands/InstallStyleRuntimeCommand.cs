using System.Collections.Concurrent;
using System.Management.Automation;
using NeuralStyle.Core.Runtime;
using NeuralStyle.PowerShell.Infrastructure;
using NeuralStyle.PowerShell.Results;

namespace NeuralStyle.PowerShell.Commands;

/// <summary>
/// Downloads the native libtorch runtime (CPU or CUDA) that matches the module's TorchSharp from a NuGet v3
/// feed or a folder, with the ResNet-18 model the gallery package leaves out, verifies and unpacks it into the
/// per-user (or machine-wide) runtime folder.
/// </summary>
[Cmdlet(VerbsLifecycle.Install, "StyleRuntime", SupportsShouldProcess = true,
    HelpUri = OnlineHelp.Base + "Install-StyleRuntime.md")]
[OutputType(typeof(StyleRuntimeInfo))]
public sealed class InstallStyleRuntimeCommand : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    [Parameter(Mandatory = true, Position = 0)]
    public RuntimeBackend Backend { get; set; }

    [Parameter]
    public RuntimeScope Scope { get; set; } = RuntimeScope.CurrentUser;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = RuntimeInstaller.DefaultSource;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void StopProcessing() => _stop.Cancel();

    protected override void EndProcessing()
    {
        // A folder source is a provider path: relative to $PWD, like every path a user types.
        var source = Uri.TryCreate(Source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? Source
            : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Source);
        RuntimeInstallRequest request;
        try
        {
            _ = RuntimeInstaller.RootPackages(Backend, RuntimePlatform.CurrentRid);
            request = new RuntimeInstallRequest(Backend, Scope, source, Force);
        }
        catch (RuntimeInstallException e)
        {
            ThrowTerminatingError(Record(e));
            return;
        }
        if (!Force && InstalledRuntime.TryRead(request.Directory, Scope) is { IsComplete: true } existing)
        {
            WriteVerbose($"The {Backend} runtime is already installed in '{existing.Directory}'; use -Force to install it again.");
            WriteObject(StyleRuntimeInfo.From(existing, IsInUse(existing.Directory)));
            return;
        }
        var what = Backend == RuntimeBackend.Cuda
            ? $"Download the CUDA {RuntimeVersions.Cuda} libtorch {RuntimeVersions.LibTorch} runtime for {request.Rid} (about 2-3 GB in parts) and the ResNet-18 model (60 MB) from {source}"
            : $"Download the CPU libtorch {RuntimeVersions.LibTorch} runtime for {request.Rid} (60-130 MB) and the ResNet-18 model (60 MB) from {source}";
        if (!ShouldProcess(request.Directory, what))
        {
            return;
        }

        var progress = new ProgressRecord(1, $"Installing the {Backend} runtime", source);
        var reports = new ConcurrentQueue<RuntimeInstallProgress>();
        using var installer = new RuntimeInstaller();
        var task = Task.Run(() => installer.InstallAsync(request, new QueueProgress(reports), _stop.Token));
        try
        {
            // Write-Progress only works on the pipeline thread: the installer reports into a queue drained here.
            while (!task.Wait(250))
            {
                Drain(reports, progress);
            }
            Drain(reports, progress);
            var runtime = task.GetAwaiter().GetResult();
            WriteVerbose($"Installed {runtime.Packages.Count} package(s), {runtime.SizeBytes / 1e6:N0} MB, into '{runtime.Directory}'.");
            if (NativeRuntime.Directory is { } loaded && !IsInUse(runtime.Directory))
            {
                WriteWarning($"This session already uses the natives in '{loaded}'; start a new PowerShell session to use the new runtime.");
            }
            WriteObject(StyleRuntimeInfo.From(runtime, IsInUse(runtime.Directory)));
        }
        catch (AggregateException e) when (e.InnerException is RuntimeInstallException failure)
        {
            ThrowTerminatingError(Record(failure));
        }
        catch (RuntimeInstallException e)
        {
            ThrowTerminatingError(Record(e));
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException && _stop.IsCancellationRequested)
        {
            // Ctrl+C: what arrived is kept in the .partial folder and the next run resumes it.
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            this.WriteProgressSnapshot(progress);
        }
    }

    public void Dispose() => _stop.Dispose();

    private static bool IsInUse(string directory) =>
        NativeRuntime.Directory is { } d && Path.GetFullPath(d).TrimEnd(Path.DirectorySeparatorChar) == Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);

    private static ErrorRecord Record(RuntimeInstallException e) => new(e, "Runtime" + e.Failure, e.Failure switch
    {
        RuntimeInstallFailure.SourceUnreachable => ErrorCategory.ConnectionError,
        RuntimeInstallFailure.PackageNotFound => ErrorCategory.ObjectNotFound,
        RuntimeInstallFailure.PackageHashMismatch or RuntimeInstallFailure.FileChecksumMismatch => ErrorCategory.InvalidData,
        RuntimeInstallFailure.Interrupted => ErrorCategory.ConnectionError,
        RuntimeInstallFailure.FolderNotWritable => ErrorCategory.PermissionDenied,
        RuntimeInstallFailure.UnsupportedPlatform => ErrorCategory.NotImplemented,
        _ => ErrorCategory.NotSpecified,
    }, e.Target);

    private void Drain(ConcurrentQueue<RuntimeInstallProgress> reports, ProgressRecord progress)
    {
        RuntimeInstallProgress? last = null;
        while (reports.TryDequeue(out var report)) last = report;
        if (last is not { } p) return;
        progress.CurrentOperation = $"{p.Activity} {p.Package} (package {p.PackageNumber} of {p.PackagesKnown} known so far)";
        var total = p.Download.TotalBytes is long t ? $" of {t / 1e6:N1}" : "";
        progress.StatusDescription = p.Activity == "Downloading"
            ? $"{p.Package.Id}: {p.Download.BytesReceived / 1e6:N1}{total} MB at {p.Download.BytesPerSecond / 1e6:N1} MB/s"
            : $"{p.Activity} {p.Package.Id}";
        progress.PercentComplete = p.Download.PercentComplete;
        progress.SecondsRemaining = p.Download.SecondsRemaining;
        this.WriteProgressSnapshot(progress);
    }

    private sealed class QueueProgress(ConcurrentQueue<RuntimeInstallProgress> queue) : IProgress<RuntimeInstallProgress>
    {
        public void Report(RuntimeInstallProgress value) => queue.Enqueue(value);
    }
}

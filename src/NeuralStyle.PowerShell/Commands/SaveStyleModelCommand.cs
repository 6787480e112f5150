using System.Collections.Concurrent;
using System.Management.Automation;
using NeuralStyle.Core.Models;
using NeuralStyle.PowerShell.Infrastructure;
using NeuralStyle.PowerShell.Results;

namespace NeuralStyle.PowerShell.Commands;

/// <summary>Downloads a model into the per-user cache (resuming, verifying its SHA-256) and emits its Get-StyleModel object.</summary>
[Cmdlet(VerbsData.Save, "StyleModel", SupportsShouldProcess = true, HelpUri = OnlineHelp.Base + "Save-StyleModel.md")]
[OutputType(typeof(StyleModelInfo))]
public sealed class SaveStyleModelCommand : NeuralStyleCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DownloadableModelCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Download again even when the model is already cached (replaces a corrupt file).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var inventory = ModelInventoryOpener.Open(this);

        foreach (var name in Name)
        {
            if (CancelToken.IsCancellationRequested) return;
            var entry = inventory.Catalog.Find(name);
            if (entry is null)
            {
                var downloadable = string.Join(", ", inventory.Catalog.Entries.Where(e => e.Source == ModelSource.Download).Select(e => e.Name));
                WriteError(new ErrorRecord(new ItemNotFoundException($"There is no model named '{name}' to download. Downloadable: {downloadable}."),
                    "ModelNotFound", ErrorCategory.ObjectNotFound, name));
                continue;
            }
            if (entry.Source != ModelSource.Download)
            {
                WriteVerbose($"{entry.Name} is bundled with the module; nothing to download.");
                WriteObject(StyleModelInfo.From(inventory.GetStatus(entry)));
                continue;
            }
            try
            {
                SaveOne(inventory, entry);
            }
            catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not PipelineStoppedException)
            {
                WriteError(ErrorRecords.From(e, entry.Name));
            }
        }
    }

    private void SaveOne(ModelInventory inventory, ModelCatalogEntry entry)
    {
        var before = inventory.GetStatus(entry);
        var size = entry.ApproximateSize is long s ? $" (about {s / 1_000_000:N0} MB)" : "";
        var action = before.State switch
        {
            ModelState.Verified or ModelState.Cached when !Force => null,
            ModelState.Partial when !Force => $"Resume the download of {entry.Name}{size} from {entry.DownloadUrl} into '{before.Path}'",
            _ => $"Download {entry.Name}{size} from {entry.DownloadUrl} into '{before.Path}'",
        };
        if (action is not null && !ShouldProcess(before.Path, action))
        {
            return;
        }

        var progress = new ProgressRecord(1, $"Downloading {entry.Name}", entry.DownloadUrl!.ToString());
        var reports = new ConcurrentQueue<DownloadProgress>();
        using var downloader = new ModelDownloader(inventory.Cache);
        var task = Task.Run(() => downloader.DownloadAsync(entry, Force, new QueueProgress(reports), CancelToken));
        try
        {
            // Write-Progress only works on the pipeline thread: the download reports into a queue that is drained here.
            while (!task.Wait(250))
            {
                Drain(reports, progress);
            }
            Drain(reports, progress);
            WriteVerbose($"{entry.Name} is at '{task.GetAwaiter().GetResult()}' and its SHA-256 matches {entry.DescribeExpectedHash()}.");
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            this.WriteProgressSnapshot(progress);
        }
        WriteObject(StyleModelInfo.From(inventory.GetStatus(entry)));
    }

    private void Drain(ConcurrentQueue<DownloadProgress> reports, ProgressRecord progress)
    {
        DownloadProgress? last = null;
        while (reports.TryDequeue(out var report)) last = report;
        if (last is not { } p) return;
        var total = p.TotalBytes is long t ? $" of {t / 1e6:N1}" : "";
        progress.StatusDescription = $"{p.BytesReceived / 1e6:N1}{total} MB at {p.BytesPerSecond / 1e6:N1} MB/s";
        progress.PercentComplete = p.PercentComplete;
        progress.SecondsRemaining = p.SecondsRemaining;
        this.WriteProgressSnapshot(progress);
    }

    private sealed class QueueProgress(ConcurrentQueue<DownloadProgress> queue) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => queue.Enqueue(value);
    }
}

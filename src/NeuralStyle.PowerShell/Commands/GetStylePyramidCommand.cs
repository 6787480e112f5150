using System.Management.Automation;
using NeuralStyle.Core;
using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Pyramids;
using NeuralStyle.PowerShell.Infrastructure;
using NeuralStyle.PowerShell.Results;

namespace NeuralStyle.PowerShell.Commands;

/// <summary>Builds the Gaussian pyramid (Burt–Adelson, a = 0.4) of style images: the scales the multi-octave losses see.</summary>
[Cmdlet(VerbsCommon.Get, "StylePyramid", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, HelpUri = OnlineHelp.Base + "Get-StylePyramid.md")]
[OutputType(typeof(StylePyramidLevelInfo))]
public sealed class GetStylePyramidCommand : NeuralStyleCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private int _item;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    [Parameter]
    [ValidateRange(1, 16)]
    public int Octaves { get; set; } = 4;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    [Parameter]
    public ImageFileFormat Format { get; set; } = ImageFileFormat.Png;

    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Text, read by <see cref="ComputeDevice.Parse"/> before any work, so a bad one is the error InvalidDevice with the text as target.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Device { get; set; } = nameof(ComputeDevice.Auto);

    private ComputeDevice device = ComputeDevice.Auto;

    protected override void BeginProcessing()
    {
        try
        {
            device = ComputeDevice.Parse(Device);
            TorchRuntime.Resolve(device);
        }
        catch (Exception e) when (e is InvalidSettingException or DeviceUnavailableException) { ThrowTerminatingError(ErrorRecords.From(e, Device)); }
    }

    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var file in ResolveFiles(literal ? LiteralPath : Path, literal))
        {
            if (CancelToken.IsCancellationRequested) return;
            _item++;
            try
            {
                BuildOne(file);
            }
            catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not PipelineStoppedException)
            {
                WriteError(ErrorRecords.From(e, file));
            }
        }
    }

    private void BuildOne(string file)
    {
        var progress = new ProgressRecord(1, "Building style pyramids", $"{System.IO.Path.GetFileName(file)} (item {_item})");
        this.WriteProgressSnapshot(progress);
        var options = new StylePyramidOptions { Octaves = Octaves, Device = device };
        var levels = StylePyramid.Build(file, options, CancelToken);
        try
        {
            foreach (var level in levels)
            {
                CancelToken.ThrowIfCancellationRequested();
                progress.CurrentOperation = $"Octave {level.Octave} of {levels.Count}: {level.Width}×{level.Height}";
                progress.PercentComplete = 100 * (level.Octave - 1) / levels.Count;
                this.WriteProgressSnapshot(progress);
                var written = OutputDirectory is null ? null : Save(file, level);
                WriteObject(new StylePyramidLevelInfo(file, level.Octave, level.Width, level.Height, level.Scale, written));
            }
        }
        finally
        {
            foreach (var level in levels) level.Dispose();
            progress.RecordType = ProgressRecordType.Completed;
            this.WriteProgressSnapshot(progress);
        }
    }

    /// <summary>Writes one level as &lt;name&gt;.octave&lt;N&gt;.&lt;ext&gt;; returns the path, or null when -WhatIf or the user declined.</summary>
    private string? Save(string source, StylePyramidLevel level)
    {
        var folder = ResolveOutputPath(OutputDirectory!);
        var name = $"{System.IO.Path.GetFileNameWithoutExtension(source)}.octave{level.Octave}{ImageFileFormats.Extension(Format)}";
        var target = System.IO.Path.Combine(folder, name);
        if (File.Exists(target) && !Force)
            throw new OutputExistsException(target);
        if (!ShouldProcess(target, $"Write octave {level.Octave} ({level.Width}×{level.Height})"))
            return null;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputNotWritableException(target, $"the folder '{folder}' cannot be created: {e.Message}", e);
        }
        level.Save(target, new ImageWriteOptions { Format = Format, Overwrite = Force }, CancelToken);
        return target;
    }
}

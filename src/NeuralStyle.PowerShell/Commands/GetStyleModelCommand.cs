using System.Management.Automation;
using NeuralStyle.Core.Models;
using NeuralStyle.PowerShell.Infrastructure;
using NeuralStyle.PowerShell.Results;

namespace NeuralStyle.PowerShell.Commands;

/// <summary>Lists the feature-network models: bundled, downloadable (and whether they are downloaded), or a user file.</summary>
[Cmdlet(VerbsCommon.Get, "StyleModel", HelpUri = OnlineHelp.Base + "Get-StyleModel.md")]
[OutputType(typeof(StyleModelInfo))]
public sealed class GetStyleModelCommand : NeuralStyleCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public string[] Name { get; set; } = ["*"];

    protected override void ProcessRecord()
    {
        var inventory = ModelInventoryOpener.Open(this);

        foreach (var name in Name)
        {
            if (string.Equals(name, ModelCatalog.AutoName, StringComparison.OrdinalIgnoreCase))
            {
                WriteAuto(inventory);
                continue;
            }
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var matches = inventory.Catalog.Entries.Where(e => pattern.IsMatch(e.Name)).ToList();
            if (matches.Count > 0)
            {
                foreach (var entry in matches) WriteObject(StyleModelInfo.From(inventory.GetStatus(entry)));
            }
            else if (ModelResolver.ArchitectureOfFile(name) is not null)
            {
                WriteObject(StyleModelInfo.From(ModelInventory.DescribeUserFile(ResolveOutputPath(name))));
            }
            else if (!WildcardPattern.ContainsWildcardCharacters(name))
            {
                var known = string.Join(", ", inventory.Catalog.Entries.Select(e => e.Name).Prepend(ModelCatalog.AutoName));
                WriteError(new ErrorRecord(new ItemNotFoundException($"There is no model named '{name}'. Known models: {known}."),
                    "ModelNotFound", ErrorCategory.ObjectNotFound, name));
            }
        }
    }

    /// <summary>"auto" shows the model auto would use now, and why (in -Verbose).</summary>
    private void WriteAuto(ModelInventory inventory)
    {
        try
        {
            var choice = new ModelResolver(inventory).Resolve(ModelCatalog.AutoName, CancelToken);
            WriteVerbose(choice.Explanation);
            if (choice.Warning is not null) WriteWarning(choice.Warning);
            var entry = inventory.Catalog.Find(choice.Architecture)!;
            WriteObject(StyleModelInfo.From(inventory.GetStatus(entry)));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            WriteError(ErrorRecords.From(e, ModelCatalog.AutoName));
        }
    }
}

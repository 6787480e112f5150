using System.Management.Automation;
using NeuralStyle.Core;
using NeuralStyle.Core.Models;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>Opens the model inventory for the model cmdlets; a malformed mirror URL stops the command.</summary>
internal static class ModelInventoryOpener
{
    public static ModelInventory Open(Cmdlet cmdlet)
    {
        try
        {
            return ModelInventory.FromEnvironment();
        }
        catch (InvalidSettingException e)
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.From(e, null));
            throw; // not reached: ThrowTerminatingError throws
        }
    }
}

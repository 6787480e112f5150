namespace NeuralStyle.Core.Models;

/// <summary>Where a model's weights come from.</summary>
public enum ModelSource
{
    /// <summary>Shipped inside the module folder (models/).</summary>
    Bundled,

    /// <summary>Downloaded on request into the per-user model cache.</summary>
    Download,

    /// <summary>A weights file the user points at.</summary>
    User,
}

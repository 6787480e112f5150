namespace NeuralStyle.Core.Networks;

/// <summary>Locates the model files bundled with the module (the build copies them to models/ next to this assembly).</summary>
public static class ModelFiles
{
    public const string ResNet18FileName = "ResNet18.onnx";

    /// <summary>The models/ folder beside NeuralStyle.Core.dll.</summary>
    public static string ModelDirectory
    {
        get
        {
            // Assembly.Location is empty for single-file apps; the base directory is the right fallback there.
            var location = typeof(ModelFiles).Assembly.Location;
            var folder = string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : Path.GetDirectoryName(location)!;
            return Path.Combine(folder, "models");
        }
    }

    /// <summary>Full path of the bundled ImageNet ResNet-18 (ONNX).</summary>
    /// <exception cref="FileNotFoundException">The file is not where the build puts it.</exception>
    public static string ResNet18Path => Require(ResNet18FileName);

    private static string Require(string fileName)
    {
        var path = Path.Combine(ModelDirectory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The bundled model '{fileName}' was not found at '{path}'. The module folder is incomplete: " +
                "rebuild or reinstall it (the build copies the model from the Microsoft.ML.DnnImageFeaturizer.ResNet18 NuGet package).",
                path);
        }
        return path;
    }
}

namespace NeuralStyle.Core.Optimization;

/// <summary>L-BFGS converges in the fewest evaluations (Gatys' choice); Adam uses less memory and suits GPUs.</summary>
public enum OptimizerKind
{
    Lbfgs,
    Adam,
}

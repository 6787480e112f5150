namespace NeuralStyle.Core.Synthesis;

/// <summary>Where a resumed run continues: <paramref name="Step"/> steps of stage <paramref name="Stage"/> (0-based) are done.</summary>
public sealed record ResumePoint(int Stage, int Step);

// Tensor ownership in NeuralStyle.Core: one rule, followed everywhere.
//
// 1. A function returns tensors owned by the caller's dispose scope. It may open a scope of its own
//    for its intermediates, and then moves what it returns out of it (MoveToOuterDisposeScope).
// 2. A long-lived holder (StyleTargets, ContentTarget, SourceFeatures, RgbImage, the L-BFGS history)
//    takes ownership of its tensors by detaching them from every scope, through a named factory that
//    opens its own scope (StyleTargets.Compute, ContentTarget.Read, SourceFeatures.Join), and frees
//    them in Dispose. RgbImage's constructor is the one holder that takes what it is given: images
//    come from the codec and the synthesiser, which hand them over on purpose.
// 3. Every optimiser step runs in a dispose scope of its own (PixelOptimizer), and every evaluation in
//    one of its own (the evaluators): nothing a step allocates outlives it.
// 4. No Dispose inside a scope without a stated reason (an image-sized tensor freed before the scope
//    ends, to keep the peak down). Results that hold tensors are IDisposable (SynthesisResult).
namespace NeuralStyle.Core;

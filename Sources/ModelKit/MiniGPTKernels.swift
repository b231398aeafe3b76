/// What GrowthBench's own trainer (MiniGPT, fp32 on the CPU) does per step besides its GEMMs: the block-causal
/// attention's executed share, the bytes each memory-bound kernel moves, the optimizer's bytes per parameter
/// and how many kernels (parallel regions and BLAS calls) a layer dispatches. One place for these facts: the
/// trainer uses the attention block, `calibrate` turns kernel timings into bandwidths with these byte counts,
/// and the cost model prices a MiniGPT step with the same counts.
///
/// Byte counts are per row (one token of one sequence) and per layer, in 4-byte elements read plus written,
/// counted from the kernels in `Sources/MiniGPT` (norms keep x̂ for backward; the bias add and the bias
/// gradient are row passes; GELU writes its tanh term and its output). Residual adds are fused into the
/// output GEMMs (β = 1), so they are GEMM time, not listed here.
public enum MiniGPTKernels {
    /// Bytes of one fp32 element.
    public static let elementBytes = 4.0
    /// Query rows per block of the block-causal attention GEMMs (`CausalAttentionCore`).
    public static let attentionBlock = 64

    /// Share of the full s×s score and value work the block-causal GEMMs execute: query block [r0, r1)
    /// multiplies against keys [0, r1) only, ≈ (1 + 1/blocks)/2.
    public static func attentionExecutedFraction(sequenceLength t: Int, block: Int = attentionBlock) -> Double {
        let block = max(1, min(block, t))
        var done = 0, r0 = 0
        while r0 < t { let r1 = min(r0 + block, t); done += (r1 - r0) * r1; r0 = r1 }
        return Double(done) / Double(t * t)
    }

    /// LayerNorm / RMSNorm: forward reads x, writes y and x̂ (3 passes); backward reads dy and x̂ for the gain
    /// gradient, then reads dy and x̂, writes the scaled dy and updates dx (7 passes).
    public static let normForwardPasses = 3.0, normBackwardPasses = 7.0
    /// GELU (tanh form): forward u → t, then (u, t) → g (5 passes of f); backward reads u, t, dh and writes dh (4).
    public static let activationForwardPasses = 5.0, activationBackwardPasses = 4.0
    /// Bias: forward adds it in place (read + write), backward sums the output gradient's columns (read).
    public static let biasForwardPasses = 2.0, biasBackwardPasses = 1.0
    /// Rotary positions rotate q and k in place (read + write of 2A), forward and backward.
    public static let rotaryPasses = 4.0
    /// Softmax cross-entropy over the (padded) vocabulary: forward reads logits, writes probabilities and
    /// reads them back for the loss (3 passes); backward reads probabilities and writes dlogits (2).
    public static let lossForwardPasses = 3.0, lossBackwardPasses = 2.0

    /// Memory-bound bytes of one layer's forward and backward passes, per row (the attention core's softmax is
    /// in its own rate).
    public static func layerBytesPerRow(_ m: ModelArchitecture) -> (forward: Double, backward: Double) {
        let (h, a, f, fIn) = widths(m)
        func bytes(norm: Double, activation: Double, bias: Double) -> Double {
            var passes = 2 * norm * h + activation * f
            if m.linearBiases { passes += bias * (3 * a + h + fIn + h) }
            if m.position == .rope { passes += rotaryPasses * a }
            return passes * elementBytes
        }
        return (bytes(norm: normForwardPasses, activation: activationForwardPasses, bias: biasForwardPasses),
                bytes(norm: normBackwardPasses, activation: activationBackwardPasses, bias: biasBackwardPasses))
    }

    /// Embedding lookup, final norm and the loss, per row: forward and backward.
    public static func outsideLayersBytesPerRow(_ m: ModelArchitecture) -> (forward: Double, backward: Double) {
        let h = Double(m.hidden), v = Double(m.paddedVocab)
        let positions = m.position == .learned ? 2 * h : 0
        let forward = 2 * h + positions + normForwardPasses * h + lossForwardPasses * v
        let backward = 3 * h + positions + normBackwardPasses * h + lossBackwardPasses * v
        return (forward * elementBytes, backward * elementBytes)
    }

    /// Optimizer step per parameter: gradients zeroed (write 4 B), the clipping norm (read 4 B), AdamW reading
    /// parameter, gradient and both moments and writing parameter and moments (28 B).
    public static let optimizerBytesPerParameter = 36.0

    /// Kernels one layer's forward pass dispatches: two norms, four GEMMs, the attention core's parallel
    /// region, the activation, plus rotary positions when used (backward: twice as many, the cost model's rule).
    public static func kernelsPerLayerForward(_ m: ModelArchitecture) -> Double {
        8 + (m.position == .rope ? 1 : 0)
    }

    private static func widths(_ m: ModelArchitecture) -> (Double, Double, Double, Double) {
        let f = Double(m.ffnHidden)
        return (Double(m.hidden), Double(m.attentionWidth), f, m.activation == .swiglu ? 2 * f : f)
    }
}

/// Activation recomputation (Korthikanti et al. 2022, arXiv 2205.05198):
/// `selective` recomputes the attention core (QKᵀ, softmax, ×V) in backward, `full` the whole layer.
public enum Recompute: String, Codable, Sendable, CaseIterable { case none, selective, full }

/// Matrix-multiply FLOPs of one forward pass, per token, by operation (a multiply-add counts 2).
///
/// Attention scores and values count the full s×s square, as Megatron-LM's kernels compute it and as
/// Narayanan et al. 2021 and Korthikanti et al. 2022 (App. A) count it; a causal kernel that skips the masked
/// half does half of those two terms. Norms, softmax, activations and biases are elementwise and not counted.
public struct ForwardFlopsPerToken: Codable, Sendable, Equatable {
    public var qkv: Double
    public var attentionScores: Double
    public var attentionValues: Double
    public var attentionOutput: Double
    public var ffn: Double
    public var logits: Double
    public var layers: Int

    /// Per token of one sequence on one GPU (tp = 1), from `DecoderOperations`.
    public init(_ m: ModelArchitecture) {
        let s = Double(m.sequenceLength)
        var byName: [String: Double] = [:]
        for op in DecoderOperations.layer(m, tensorParallel: 1, sequences: 1) { byName[op.name] = op.flops / s }
        qkv = byName["qkv"]!
        // QKᵀ and ×V are the two equal halves of the attention core.
        attentionScores = byName["attention core"]! / 2
        attentionValues = byName["attention core"]! / 2
        attentionOutput = byName["output projection"]!
        ffn = byName["ffn in"]! + byName["ffn out"]!
        logits = DecoderOperations.logits(m, tensorParallel: 1, sequences: 1).flops / s
        layers = m.layers
    }

    public var attentionCore: Double { attentionScores + attentionValues }
    public var perLayer: Double { qkv + attentionCore + attentionOutput + ffn }
    public var total: Double { Double(layers) * perLayer + logits }
}

/// FLOPs per token of one training step: forward + backward (backward = 2 × forward), and the extra
/// forward work that activation recompute adds. Model FLOPs are the MFU basis; hardware FLOPs the HFU basis.
public struct TrainingFlopsPerToken: Codable, Sendable, Equatable {
    public var forward: ForwardFlopsPerToken
    public var recompute: Recompute

    /// Share of the layers whose recompute runs (full recompute of some layers only: Megatron-LM's
    /// `--recompute-num-layers`); 1 otherwise.
    public var recomputedShare: Double = 1

    public init(_ m: ModelArchitecture, recompute: Recompute) {
        forward = ForwardFlopsPerToken(m)
        self.recompute = recompute
    }

    /// The recompute a layout runs: selective recompute with a fused attention kernel recomputes nothing (no scores
    /// were dropped), and full recompute may cover only some layers.
    public init(_ m: ModelArchitecture, layout: ParallelLayout) {
        self.init(m, recompute: layout.effectiveRecompute)
        recomputedShare = layout.recomputedLayerShare(of: m)
    }

    /// Forward + backward, no recompute: 3 × forward.
    public var model: Double { 3 * forward.total }

    /// Forward work repeated in backward. The logits are never recomputed.
    public var recomputed: Double {
        switch recompute {
        case .none: 0
        case .selective: Double(forward.layers) * forward.attentionCore
        case .full: Double(forward.layers) * forward.perLayer * recomputedShare
        }
    }

    public var hardware: Double { model + recomputed }
}

/// Closed-form training-FLOPs estimates used by published cost tables.
public enum FlopFormulas {
    /// The "6·N·D" shortcut: 6 FLOPs per parameter per token (2 forward + 4 backward), attention ignored.
    public static func sixND(parameters: Int, tokens: Double) -> Double { 6 * Double(parameters) * tokens }

    /// Narayanan et al. 2021 (arXiv 2104.04473) Eq. 3 generalised to a coefficient:
    /// F = c · T · l · h² · (1 + s/(6h) + V/(16·l·h)), with T tokens (= B·s per iteration × iterations).
    /// c = 96 counts full activation recompute (4 forward-equivalents), c = 72 none. FLM-101B §4 estimates
    /// cost "within a range" from exactly these two coefficients. Assumes GPT-3-like blocks (FFN = 4h, a·d = h)
    /// and uses the unpadded vocabulary, as the papers do from published hyper-parameters.
    public static func megatron(_ m: ModelArchitecture, tokens: Double, coefficient: Double) -> Double {
        let l = Double(m.layers), h = Double(m.hidden), s = Double(m.sequenceLength), v = Double(m.vocab)
        return coefficient * tokens * l * h * h * (1 + s / (6 * h) + v / (16 * l * h))
    }

    /// FLM-101B's training cost index: midpoint of the 72 and 96 coefficients, ± half their difference.
    public static func costIndex(_ m: ModelArchitecture, tokens: Double) -> CostIndex {
        CostIndex(low: megatron(m, tokens: tokens, coefficient: 72), high: megatron(m, tokens: tokens, coefficient: 96))
    }
}

/// A FLOPs range [low, high] reported as midpoint ± half-width (FLM-101B §4, footnote 6).
public struct CostIndex: Codable, Sendable, Equatable {
    public var low: Double
    public var high: Double
    public init(low: Double, high: Double) { self.low = low; self.high = high }
    public var midpoint: Double { (low + high) / 2 }
    public var halfWidth: Double { (high - low) / 2 }
    public static func + (l: CostIndex, r: CostIndex) -> CostIndex { CostIndex(low: l.low + r.low, high: l.high + r.high) }
}

/// What a parameter tensor is for. µP (Yang et al. 2022, "Tensor Programs V", Table 3) treats input weights,
/// hidden (matrix-like) weights, output weights and vector-like parameters differently, so every tensor carries
/// its role and the optimizer and initialiser look their settings up by role.
public enum ParameterRole: String, Codable, Sendable, CaseIterable {
    /// Token embedding (input weights; also the readout when embeddings are tied).
    case embedding
    /// Learned position embedding (input weights).
    case position
    /// Matrix-like hidden weights: q, k, v, attention output, FFN.
    case hidden
    /// Vector-like parameters: norm gains and biases, linear biases.
    case vector
    /// Untied output (readout) weights.
    case readout
}

/// Initialisation and optimisation settings of one role.
public struct RoleSettings: Codable, Sendable, Equatable {
    /// Standard deviation of the truncated normal (±2σ) initialiser. Norm gains start at 1 and biases at 0
    /// regardless.
    public var initStd: Double
    /// Multiplies the scheduled learning rate for this role (µP's per-class Adam LR).
    public var lrMultiplier: Double
    /// Whether AdamW's decoupled weight decay applies (usually matrices only).
    public var weightDecay: Bool
    /// Multiplies the weight-decay coefficient for this role. µP sets it to the width multiplier on hidden
    /// matrices so that lr × wd, the decay per step of decoupled AdamW, stays the same across widths.
    public var weightDecayMultiplier: Double = 1

    public init(initStd: Double, lrMultiplier: Double = 1, weightDecay: Bool, weightDecayMultiplier: Double = 1) {
        self.initStd = initStd; self.lrMultiplier = lrMultiplier; self.weightDecay = weightDecay
        self.weightDecayMultiplier = weightDecayMultiplier
    }
}

/// Attention logit scale: 1/√d_head (Vaswani et al. 2017) or 1/d_head (µP, Yang et al. 2022 §4 / Eq. 4).
public enum AttentionScale: String, Codable, Sendable, CaseIterable {
    case inverseSqrt = "inverse_sqrt"
    case inverse
}

/// How the model's numbers are scaled: per-role init and LR multipliers, input/output multipliers and the
/// attention scale. The defaults are the standard parametrisation (GPT-2 style init, σ = 0.02); µP
/// (issue 6) fills these from a base shape instead, without touching the layers.
public struct Parametrization: Codable, Sendable, Equatable {
    public var embedding = RoleSettings(initStd: 0.02, weightDecay: false)
    public var position = RoleSettings(initStd: 0.02, weightDecay: false)
    public var hidden = RoleSettings(initStd: 0.02, weightDecay: true)
    public var vector = RoleSettings(initStd: 0, weightDecay: false)
    public var readout = RoleSettings(initStd: 0.02, weightDecay: true)
    /// Embedding output multiplier α_in: x₀ = α_in · E[token] (+ position).
    public var inputMultiplier: Double = 1
    /// Readout multiplier α_out: logits = α_out · h · Wᵀ.
    public var outputMultiplier: Double = 1
    public var attentionScale: AttentionScale = .inverseSqrt
    /// With `.inverse` (µP), the head width at which the scale equals 1/√d_head, so µP and SP attention agree
    /// at the base shape (microsoft/mup's `attn_mult` convention); nil means plain 1/d_head.
    public var attentionBaseHeadDim: Int? = nil
    /// GPT-2 (Radford et al. 2019 §2.3): residual output projections start at σ/√(2·layers).
    public var scaleResidualInit = true
    /// Start the query projection at zero (µP's fix for attention logits shrinking with width at init;
    /// microsoft/mup README "Coord Check").
    public var zeroQuery = false

    public init() {}

    public func settings(_ role: ParameterRole) -> RoleSettings {
        switch role {
        case .embedding: embedding
        case .position: position
        case .hidden: hidden
        case .vector: vector
        case .readout: readout
        }
    }

    public func attentionFactor(headDim: Int) -> Double {
        switch attentionScale {
        case .inverseSqrt: 1 / Double(headDim).squareRoot()
        case .inverse: Double(attentionBaseHeadDim ?? 1).squareRoot() / Double(headDim)
        }
    }
}

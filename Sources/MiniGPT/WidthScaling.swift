/// Standard parametrisation or µP (maximal update parametrisation).
public enum ParametrizationKind: String, Codable, Sendable, CaseIterable {
    case standard = "sp"
    case mup
}

/// Tele-FLM's seven searchable hyper-parameters (Tele-FLM Table 4), by their names there. They are given at
/// the base width; `WidthScaling` maps them to any width.
public struct HyperParameters: Codable, Sendable, Equatable, Hashable {
    /// LR of embeddings, norms, biases and the readout ("learning rate").
    public var learningRate: Double
    /// LR of hidden matrices at the base width ("matrix learning rate").
    public var matrixLearningRate: Double
    /// End of the cosine decay, for `learningRate` ("minimum learning rate"); matrices decay in proportion.
    public var minLearningRate: Double
    /// Init std of embeddings and readout ("init std").
    public var initStd: Double
    /// Init std of hidden matrices at the base width ("matrix init std").
    public var matrixInitStd: Double
    /// Embedding output multiplier ("input multiplier").
    public var inputMultiplier: Double
    /// Readout multiplier at the base width ("output multiplier").
    public var outputMultiplier: Double

    public init(learningRate: Double, matrixLearningRate: Double, minLearningRate: Double, initStd: Double,
                matrixInitStd: Double, inputMultiplier: Double = 1, outputMultiplier: Double = 1) {
        self.learningRate = learningRate; self.matrixLearningRate = matrixLearningRate
        self.minLearningRate = minLearningRate; self.initStd = initStd; self.matrixInitStd = matrixInitStd
        self.inputMultiplier = inputMultiplier; self.outputMultiplier = outputMultiplier
    }
}

/// What widening a model does to its attention heads.
public enum HeadWidthRule: String, Codable, Sendable, CaseIterable {
    /// Head width stays as configured and the head count grows with the model — what FLM-101B and Tele-FLM do
    /// (d_head = 128 from Tele-FLM's 283M proxy, 512/4, to its 52B model, 8192/64).
    case fixed
    /// Head count stays as configured and each head widens; this is where µP's 1/d_head attention scale matters.
    case grows
}

/// How hyper-parameters tuned at a base width carry to another width.
///
/// µP in the form microsoft/mup implements (Tensor Programs V, Table 8), with width multiplier
/// m = hidden / base_hidden:
/// - embeddings, positions, norms and biases ("vector-like"): init std and Adam LR unchanged;
/// - hidden matrices (q, k, v, attention out, FFN): init std ÷ √m (variance ∝ 1/fan_in), Adam LR ÷ m;
/// - readout: init std unchanged (or zero), Adam LR unchanged, forward multiplier output_mult ÷ m;
/// - attention logits scaled by √d_base/d_head instead of 1/√d_head (1/d_head, equal to SP's at the base
///   shape); with `headWidth == .fixed` d_head never changes, so this is SP's scale at every width;
/// - weight decay: the hidden matrices' coefficient × m, so lr × wd (decoupled AdamW's decay per step) is the
///   same at every width ("independent" weight decay; microsoft/mup scales wd the same way for coupled decay).
/// SP keeps every figure as given at every width (the usual practice, whose optimal LR drifts with width).
public struct WidthScaling: Codable, Sendable, Equatable, Hashable {
    public var kind: ParametrizationKind
    public var baseHidden: Int
    public var hyper: HyperParameters
    public var zeroQuery: Bool
    public var zeroReadout: Bool
    public var headWidth: HeadWidthRule

    public init(kind: ParametrizationKind, baseHidden: Int, hyper: HyperParameters, zeroQuery: Bool = false,
                zeroReadout: Bool = false, headWidth: HeadWidthRule = .fixed) {
        self.kind = kind; self.baseHidden = baseHidden; self.hyper = hyper
        self.zeroQuery = zeroQuery; self.zeroReadout = zeroReadout; self.headWidth = headWidth
    }

    public func widthMultiplier(_ m: ModelShape) -> Double { Double(m.hidden) / Double(baseHidden) }

    /// Head width of the base-width model of this family.
    public func baseHeadDim(_ m: ModelShape) -> Int {
        switch headWidth {
        case .fixed: m.headDim
        case .grows: max(1, baseHidden / m.heads)
        }
    }

    /// The parametrisation of a model of this shape. The schedule's LR is `hyper.learningRate`; each role's
    /// multiplier is relative to it.
    public func parametrization(for shape: ModelShape) -> Parametrization {
        let h = hyper
        let mup = kind == .mup
        let m = mup ? widthMultiplier(shape) : 1
        var p = Parametrization()
        p.embedding = RoleSettings(initStd: h.initStd, weightDecay: false)
        p.position = RoleSettings(initStd: h.initStd, weightDecay: false)
        p.vector = RoleSettings(initStd: 0, weightDecay: false)
        p.hidden = RoleSettings(initStd: h.matrixInitStd / m.squareRoot(),
                                lrMultiplier: h.matrixLearningRate / h.learningRate / m,
                                weightDecay: true, weightDecayMultiplier: m)
        p.readout = RoleSettings(initStd: zeroReadout ? 0 : h.initStd, weightDecay: true)
        p.inputMultiplier = h.inputMultiplier
        p.outputMultiplier = h.outputMultiplier / m
        p.attentionScale = mup ? .inverse : .inverseSqrt
        p.attentionBaseHeadDim = mup ? baseHeadDim(shape) : nil
        p.zeroQuery = zeroQuery
        return p
    }
}

/// The widths a parametrisation depends on.
public protocol ModelShape {
    var hidden: Int { get }
    var heads: Int { get }
    var headDim: Int { get }
}

import ModelKit
extension ModelArchitecture: ModelShape {}

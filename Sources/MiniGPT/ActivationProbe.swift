/// The activations a coordinate check watches (Yang et al. 2022, "Tensor Programs V" §D; microsoft/mup
/// `coord_check.py` records `x.abs().mean()` of every module output).
public enum ActivationKind: String, Codable, Sendable, CaseIterable {
    /// Embedding output, including the input multiplier α_in (and learned positions).
    case embeddings
    /// Scaled pre-softmax attention scores c·q·k over the causal entries (j ≤ i) only.
    case attentionLogits = "attention_logits"
    /// The attention sublayer's output (output projection + bias), before the residual add.
    case attentionOutput = "attention_output"
    /// The FFN sublayer's output, before the residual add.
    case mlpOutput = "mlp_output"
    /// The residual stream after each block.
    case blockOutput = "block_output"
    /// Readout output over the real vocabulary, including the output multiplier α_out.
    case logits

    /// Whether the activation exists once per decoder block (else once per model).
    public var isPerLayer: Bool { self != .embeddings && self != .logits }
}

/// Opt-in record of the mean absolute coordinate, mean |x|, of each `ActivationKind` in the last forward pass
/// (per layer for the per-block kinds). Enabled with `GPT.enableActivationProbe()`; when it is off, the
/// forward pass checks one optional per layer and does nothing else. Recording never changes the numbers the
/// model computes: the sublayer outputs are measured as (residual after − residual before) from a copy of the
/// residual stream, so the residual adds run exactly as without the probe.
public final class ActivationProbe: @unchecked Sendable {
    public let layers: Int
    public internal(set) var embeddings = 0.0
    public internal(set) var attentionLogits: [Double]
    public internal(set) var attentionOutput: [Double]
    public internal(set) var mlpOutput: [Double]
    public internal(set) var blockOutput: [Double]
    public internal(set) var logits = 0.0
    /// Forward passes recorded since the probe was enabled.
    public internal(set) var forwardPasses = 0

    init(layers: Int) {
        self.layers = layers
        attentionLogits = Array(repeating: 0, count: layers)
        attentionOutput = Array(repeating: 0, count: layers)
        mlpOutput = Array(repeating: 0, count: layers)
        blockOutput = Array(repeating: 0, count: layers)
    }

    /// Mean |x| per layer (one value for embeddings and logits).
    public func perLayer(_ kind: ActivationKind) -> [Double] {
        switch kind {
        case .embeddings: [embeddings]
        case .attentionLogits: attentionLogits
        case .attentionOutput: attentionOutput
        case .mlpOutput: mlpOutput
        case .blockOutput: blockOutput
        case .logits: [logits]
        }
    }

    /// Mean |x| averaged over layers.
    public func mean(_ kind: ActivationKind) -> Double {
        let v = perLayer(kind)
        return v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count)
    }

    /// mean |x| of `count` values, summed in Double.
    static func meanAbs<Scalar: GPTScalar>(_ x: UnsafePointer<Scalar>, count: Int) -> Double {
        guard count > 0 else { return 0 }
        var s = 0.0
        for i in 0..<count { s += Swift.abs(Double(x[i])) }
        return s / Double(count)
    }

    /// mean |after − before| of `count` values, summed in Double.
    static func meanAbsDifference<Scalar: GPTScalar>(_ after: UnsafePointer<Scalar>, _ before: UnsafePointer<Scalar>,
                                                     count: Int) -> Double {
        guard count > 0 else { return 0 }
        var s = 0.0
        for i in 0..<count { s += Swift.abs(Double(after[i]) - Double(before[i])) }
        return s / Double(count)
    }
}

/// What the layers need while the probe is on: the record and a copy of the residual stream.
final class ProbeContext<Scalar: GPTScalar> {
    let record: ActivationProbe
    /// The residual stream before a sublayer's add, [rows × d].
    let before: Buffer<Scalar>

    init(record: ActivationProbe, rows: Int, width: Int) {
        self.record = record
        before = Buffer(count: rows * width)
    }
}

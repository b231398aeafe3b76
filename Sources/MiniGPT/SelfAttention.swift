import ModelKit

/// Multi-head causal self-attention sublayer: qkv = x·W_qkvᵀ (+ b), rotary positions on q and k (RoPE/xPos),
/// the causal core per (sequence, head), and the output projection added into the residual stream.
final class SelfAttention<Scalar: GPTScalar> {
    let heads: Int
    let headDim: Int
    let qkv: Linear<Scalar>
    let output: Linear<Scalar>
    let rotary: RotaryPositions<Scalar>?
    let core: CausalAttentionCore<Scalar>
    /// q | k | v after rotation, [rows × 3A].
    let projected: Buffer<Scalar>
    /// Concatenated head outputs, [rows × A].
    let attended: Buffer<Scalar>

    init(store: ParameterStore<Scalar>, name: String, architecture m: ModelArchitecture, scale: Double,
         maxBatch: Int) {
        heads = m.heads
        headDim = m.headDim
        let a = m.attentionWidth, rows = maxBatch * m.sequenceLength
        qkv = Linear(store: store, name: "\(name).qkv", inputs: m.hidden, outputs: 3 * a, bias: m.linearBiases)
        output = Linear(store: store, name: "\(name).out", inputs: a, outputs: m.hidden, bias: m.linearBiases)
        rotary = m.position == .learned ? nil
            : RotaryPositions(kind: m.position, heads: m.heads, headDim: m.headDim, sequenceLength: m.sequenceLength)
        core = CausalAttentionCore(heads: m.heads, headDim: m.headDim, sequenceLength: m.sequenceLength,
                                   maxBatch: maxBatch, scale: scale)
        projected = Buffer(count: rows * 3 * a)
        attended = Buffer(count: rows * a)
    }

    static func layout(_ name: String, architecture m: ModelArchitecture, residualScale: Double)
        -> [TensorLayout] {
        Linear<Scalar>.layout("\(name).qkv", inputs: m.hidden, outputs: 3 * m.attentionWidth, bias: m.linearBiases,
                                rowBlocks: 3)
            + Linear<Scalar>.layout("\(name).out", inputs: m.attentionWidth, outputs: m.hidden, bias: m.linearBiases,
                                    initScale: residualScale)
    }

    /// MSG's head mask (`GrowthMask.newHeadsFrom`): q, k and v of heads from `from` on are multiplied by c, so
    /// new heads contribute c·softmax(c²·q·kᵀ)·v, 0 at c = 0. nil: no growth in progress.
    var mask: (from: Int, value: Scalar)?

    /// Columns of q, k and v that belong to the masked heads.
    private func scaleMaskedHeads(_ qkv: UnsafeMutablePointer<Scalar>, rows: Int) {
        guard let mask else { return }
        let a = heads * headDim, first = mask.from * headDim
        for section in 0..<3 {
            scaleColumns(qkv, rows: rows, ld: 3 * a, (section * a + first)..<((section + 1) * a), by: mask.value)
        }
    }

    /// residual += Attention(x).
    func forward(_ x: UnsafePointer<Scalar>, batch: Int, rows: Int, residual: UnsafeMutablePointer<Scalar>) {
        qkv.forward(x, rows: rows, into: projected.pointer)
        scaleMaskedHeads(projected.pointer, rows: rows)
        rotary?.forward(projected.pointer, rows: rows)
        core.forward(projected.pointer, batch: batch, into: attended.pointer)
        output.forward(attended.pointer, rows: rows, into: residual, accumulate: true)
    }

    /// Given dy (the residual gradient), accumulates parameter gradients and writes dx.
    /// `dAttended` holds rows × A, `dProjected` rows × 3A (scratch).
    func backward(_ x: UnsafePointer<Scalar>, _ dy: UnsafePointer<Scalar>, batch: Int, rows: Int,
                  dAttended: UnsafeMutablePointer<Scalar>, dProjected: UnsafeMutablePointer<Scalar>,
                  dx: UnsafeMutablePointer<Scalar>) {
        output.backward(attended.pointer, dy, rows: rows, dx: dAttended)
        core.backward(projected.pointer, dAttended, batch: batch, into: dProjected)
        rotary?.backward(dProjected, rows: rows)
        scaleMaskedHeads(dProjected, rows: rows)
        qkv.backward(x, dProjected, rows: rows, dx: dx)
    }
}

import ModelKit

/// Pre-norm decoder block (GPT-2 / Xiong et al. 2020):  x ← x + Attn(Norm₁(x));  x ← x + FFN(Norm₂(x)).
/// The residual stream is updated in place; backward adds both branches' input gradients into dx.
final class DecoderBlock<Scalar: GPTScalar> {
    let norm1: Normalization<Scalar>
    let attention: SelfAttention<Scalar>
    let norm2: Normalization<Scalar>
    let feedForward: FeedForward<Scalar>
    /// Normalised inputs of the two branches, [rows × d].
    let attentionInput: Buffer<Scalar>
    let feedForwardInput: Buffer<Scalar>
    let index: Int
    let width: Int
    /// Set while the activation probe is on (nil on the training path).
    var probe: ProbeContext<Scalar>?

    init(store: ParameterStore<Scalar>, index: Int, architecture m: ModelArchitecture, attentionScale: Double,
         maxBatch: Int) {
        let name = "layers.\(index)", rows = maxBatch * m.sequenceLength
        self.index = index
        width = m.hidden
        norm1 = Normalization(store: store, name: "\(name).norm1", kind: m.norm, width: m.hidden, maxRows: rows)
        attention = SelfAttention(store: store, name: "\(name).attention", architecture: m, scale: attentionScale,
                                  maxBatch: maxBatch)
        norm2 = Normalization(store: store, name: "\(name).norm2", kind: m.norm, width: m.hidden, maxRows: rows)
        feedForward = FeedForward(store: store, name: "\(name).ffn", activation: m.activation, width: m.hidden,
                                  ffn: m.ffnHidden, bias: m.linearBiases, maxRows: rows)
        attentionInput = Buffer(count: rows * m.hidden)
        feedForwardInput = Buffer(count: rows * m.hidden)
    }

    static func layout(index: Int, architecture m: ModelArchitecture, residualScale: Double)
        -> [TensorLayout] {
        let name = "layers.\(index)"
        return Normalization<Scalar>.layout("\(name).norm1", kind: m.norm, width: m.hidden)
            + SelfAttention<Scalar>.layout("\(name).attention", architecture: m, residualScale: residualScale)
            + Normalization<Scalar>.layout("\(name).norm2", kind: m.norm, width: m.hidden)
            + FeedForward<Scalar>.layout("\(name).ffn", activation: m.activation, width: m.hidden, ffn: m.ffnHidden,
                                         bias: m.linearBiases, residualScale: residualScale)
    }

    /// MSG's layer mask while this block is newly inserted (`GrowthMask.newLayers`): the block computes
    /// h + c·(block(h) − h), the identity at c = 0. `saved` keeps h in forward and ∂L/∂out in backward.
    private(set) var depthMask: (value: Scalar, saved: Buffer<Scalar>)?

    func setDepthMask(_ value: Scalar?, maxRows: Int) {
        guard let value else { depthMask = nil; return }
        depthMask = (value, depthMask?.saved ?? Buffer(count: maxRows * width))
    }

    func forward(_ x: UnsafeMutablePointer<Scalar>, batch: Int, rows: Int) {
        guard let (c, saved) = depthMask else { forwardBlock(x, batch: batch, rows: rows); return }
        let n = rows * width, h = saved.pointer
        h.update(from: x, count: n)
        forwardBlock(x, batch: batch, rows: rows)
        for i in 0..<n { x[i] = h[i] + c * (x[i] - h[i]) }
    }

    private func forwardBlock(_ x: UnsafeMutablePointer<Scalar>, batch: Int, rows: Int) {
        if let probe { forwardProbed(x, batch: batch, rows: rows, probe: probe); return }
        norm1.forward(x, rows: rows, into: attentionInput.pointer)
        attention.forward(attentionInput.pointer, batch: batch, rows: rows, residual: x)
        norm2.forward(x, rows: rows, into: feedForwardInput.pointer)
        feedForward.forward(feedForwardInput.pointer, rows: rows, residual: x)
    }

    /// `forward` with the activation probe on: the same calls in the same order, plus measurements. Each
    /// sublayer's output is measured as (residual after − residual before) so the residual add is unchanged.
    private func forwardProbed(_ x: UnsafeMutablePointer<Scalar>, batch: Int, rows: Int, probe: ProbeContext<Scalar>) {
        let count = rows * width, before = probe.before.pointer, record = probe.record
        norm1.forward(x, rows: rows, into: attentionInput.pointer)
        before.update(from: x, count: count)
        attention.forward(attentionInput.pointer, batch: batch, rows: rows, residual: x)
        record.attentionLogits[index] = attention.core.lastMeanAbsLogit(batch: batch)
        record.attentionOutput[index] = ActivationProbe.meanAbsDifference(x, before, count: count)
        norm2.forward(x, rows: rows, into: feedForwardInput.pointer)
        before.update(from: x, count: count)
        feedForward.forward(feedForwardInput.pointer, rows: rows, residual: x)
        record.mlpOutput[index] = ActivationProbe.meanAbsDifference(x, before, count: count)
        record.blockOutput[index] = ActivationProbe.meanAbs(x, count: count)
    }

    /// dx holds ∂L/∂(block output) on entry and ∂L/∂(block input) on return. Under the layer mask,
    /// ∂L/∂h = (1 − c)·g + blockᵀ(c·g) for g = ∂L/∂out.
    func backward(_ dx: UnsafeMutablePointer<Scalar>, batch: Int, rows: Int, workspace w: BackwardScratch<Scalar>) {
        guard let (c, saved) = depthMask else { backwardBlock(dx, batch: batch, rows: rows, workspace: w); return }
        let n = rows * width, g = saved.pointer
        g.update(from: dx, count: n)
        for i in 0..<n { dx[i] *= c }
        backwardBlock(dx, batch: batch, rows: rows, workspace: w)
        let keep = 1 - c
        for i in 0..<n { dx[i] += keep * g[i] }
    }

    private func backwardBlock(_ dx: UnsafeMutablePointer<Scalar>, batch: Int, rows: Int, workspace w: BackwardScratch<Scalar>) {
        feedForward.backward(feedForwardInput.pointer, dx, rows: rows, scratch: w.ffn.pointer,
                             scratchWide: w.ffnWide.pointer, dx: w.hidden.pointer)
        norm2.backward(w.hidden.pointer, rows: rows, dx: dx, accumulate: true)
        attention.backward(attentionInput.pointer, dx, batch: batch, rows: rows, dAttended: w.attended.pointer,
                           dProjected: w.projected.pointer, dx: w.hidden.pointer)
        norm1.backward(w.hidden.pointer, rows: rows, dx: dx, accumulate: true)
    }
}

/// Gradient scratch shared by all blocks (only one block runs backward at a time).
final class BackwardScratch<Scalar: GPTScalar> {
    let hidden: Buffer<Scalar>
    let attended: Buffer<Scalar>
    let projected: Buffer<Scalar>
    let ffn: Buffer<Scalar>
    let ffnWide: Buffer<Scalar>

    init(architecture m: ModelArchitecture, rows: Int) {
        hidden = Buffer(count: rows * m.hidden)
        attended = Buffer(count: rows * m.attentionWidth)
        projected = Buffer(count: rows * 3 * m.attentionWidth)
        ffn = Buffer(count: rows * m.ffnHidden)
        ffnWide = Buffer(count: m.activation == .swiglu ? rows * 2 * m.ffnHidden : 1)
    }
}

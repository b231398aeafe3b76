import Testing
@testable import MiniGPT
import ModelKit

/// Each layer's hand-written backward against finite differences, with L = Σ w ⊙ output.
@Suite struct LayerGradientTests {
    @Test(arguments: [Norm.layernorm, Norm.rmsnorm])
    func normalization(kind: Norm) {
        let rows = 5, d = 7
        let store = ParameterStore<Double>(layout: Normalization<Double>.layout("n", kind: kind, width: d))
        fill(store.values.pointer, randomValues(store.count, seed: 1))  // gains and biases away from 1 and 0
        let layer = Normalization(store: store, name: "n", kind: kind, width: d, maxRows: rows)
        let x = Buffer<Double>(count: rows * d), y = Buffer<Double>(count: rows * d), dx = Buffer<Double>(count: rows * d)
        fill(x.pointer, randomValues(rows * d, seed: 2, range: 2))
        let w = randomValues(rows * d, seed: 3)
        let loss = { () -> Double in layer.forward(x.pointer, rows: rows, into: y.pointer); return dot(w, y.pointer) }
        _ = loss()
        let dy = Buffer<Double>(count: rows * d)
        fill(dy.pointer, w)
        layer.backward(dy.pointer, rows: rows, dx: dx.pointer, accumulate: false)
        let ex = finiteDifferenceError(parameter: x.pointer, count: rows * d, analytic: copyOut(dx.pointer, rows * d), loss: loss)
        let ep = finiteDifferenceError(parameter: store.values.pointer, count: store.count,
                                       analytic: store.gradients.array, loss: loss)
        #expect(ex.worst < gradientTolerance, "dx error \(ex.worst)")
        #expect(ep.worst < gradientTolerance, "gain/bias error \(ep.worst)")
    }

    @Test(arguments: [true, false])
    func linear(bias: Bool) {
        let rows = 4, n = 5, m = 3
        let store = ParameterStore<Double>(layout: Linear<Double>.layout("l", inputs: n, outputs: m, bias: bias))
        fill(store.values.pointer, randomValues(store.count, seed: 4))
        let layer = Linear(store: store, name: "l", inputs: n, outputs: m, bias: bias)
        let x = Buffer<Double>(count: rows * n), y = Buffer<Double>(count: rows * m), dx = Buffer<Double>(count: rows * n)
        fill(x.pointer, randomValues(rows * n, seed: 5))
        let w = randomValues(rows * m, seed: 6)
        let loss = { () -> Double in layer.forward(x.pointer, rows: rows, into: y.pointer); return dot(w, y.pointer) }
        _ = loss()
        layer.backward(x.pointer, w, rows: rows, dx: dx.pointer)
        let ex = finiteDifferenceError(parameter: x.pointer, count: rows * n, analytic: copyOut(dx.pointer, rows * n), loss: loss)
        let ep = finiteDifferenceError(parameter: store.values.pointer, count: store.count, analytic: store.gradients.array, loss: loss)
        #expect(ex.worst < gradientTolerance && ep.worst < gradientTolerance, "dx \(ex.worst), dW \(ep.worst)")
    }

    /// The attention core with each position encoding, over several sequences and row blocks smaller than the
    /// sequence (so the block-causal skipping and queries at positions > 0 are exercised).
    @Test(arguments: [PositionEncoding.learned, .rope, .xpos])
    func causalAttention(position: PositionEncoding) {
        let batch = 2, heads = 2, dh = 4, t = 7, a = heads * dh, rows = batch * t
        let core = CausalAttentionCore<Double>(heads: heads, headDim: dh, sequenceLength: t, maxBatch: batch,
                                               scale: 0.5, block: 3)
        let rotary = position == .learned ? nil
            : RotaryPositions<Double>(kind: position, heads: heads, headDim: dh, sequenceLength: t)
        let input = Buffer<Double>(count: rows * 3 * a), work = Buffer<Double>(count: rows * 3 * a)
        let out = Buffer<Double>(count: rows * a), dqkv = Buffer<Double>(count: rows * 3 * a)
        fill(input.pointer, randomValues(rows * 3 * a, seed: 7, range: 1.5))
        let w = randomValues(rows * a, seed: 8)
        let loss = { () -> Double in
            work.pointer.update(from: input.pointer, count: rows * 3 * a)
            rotary?.forward(work.pointer, rows: rows)
            core.forward(work.pointer, batch: batch, into: out.pointer)
            return dot(w, out.pointer)
        }
        _ = loss()
        core.backward(work.pointer, w, batch: batch, into: dqkv.pointer)
        rotary?.backward(dqkv.pointer, rows: rows)
        let e = finiteDifferenceError(parameter: input.pointer, count: rows * 3 * a,
                                      analytic: copyOut(dqkv.pointer, rows * 3 * a), loss: loss)
        #expect(e.worst < gradientTolerance, "dqkv error \(e.worst)")
        #expect(core.executedFraction < 1)
    }

    @Test(arguments: [Activation.gelu, .swiglu])
    func feedForward(activation: Activation) {
        let rows = 4, d = 5, f = 6
        let store = ParameterStore<Double>(layout: FeedForward<Double>.layout("f", activation: activation, width: d, ffn: f,
                                                                               bias: true, residualScale: 1))
        fill(store.values.pointer, randomValues(store.count, seed: 9))
        let layer = FeedForward(store: store, name: "f", activation: activation, width: d, ffn: f, bias: true, maxRows: rows)
        let x = Buffer<Double>(count: rows * d), y = Buffer<Double>(count: rows * d), dx = Buffer<Double>(count: rows * d)
        let s1 = Buffer<Double>(count: rows * f), s2 = Buffer<Double>(count: rows * 2 * f)
        fill(x.pointer, randomValues(rows * d, seed: 10, range: 2))
        let w = randomValues(rows * d, seed: 11)
        let loss = { () -> Double in
            y.zero()
            layer.forward(x.pointer, rows: rows, residual: y.pointer)
            return dot(w, y.pointer)
        }
        _ = loss()
        layer.backward(x.pointer, w, rows: rows, scratch: s1.pointer, scratchWide: s2.pointer, dx: dx.pointer)
        let ex = finiteDifferenceError(parameter: x.pointer, count: rows * d, analytic: copyOut(dx.pointer, rows * d), loss: loss)
        let ep = finiteDifferenceError(parameter: store.values.pointer, count: store.count, analytic: store.gradients.array, loss: loss)
        #expect(ex.worst < gradientTolerance && ep.worst < gradientTolerance, "dx \(ex.worst), params \(ep.worst)")
    }

    @Test(arguments: [1.0, 0.37])
    func readoutCrossEntropy(multiplier: Double) {
        let rows = 5, d = 4, vocab = 6, padded = 8
        let store = ParameterStore<Double>(layout: Readout<Double>.layout(vocabRows: padded, width: d, tied: false))
        fill(store.values.pointer, randomValues(store.count, seed: 12, range: 2))
        let layer = Readout(store: store, width: d, vocab: vocab, paddedVocab: padded, tied: false,
                            multiplier: multiplier, maxRows: rows)
        let h = Buffer<Double>(count: rows * d), dh = Buffer<Double>(count: rows * d)
        fill(h.pointer, randomValues(rows * d, seed: 13))
        let targets: [Int32] = [0, 5, 2, 2, 4]
        let weight = 0.3
        let loss = { () -> Double in weight * layer.forward(h.pointer, targets: targets, rows: rows) }
        _ = loss()
        layer.backward(h.pointer, targets: targets, rows: rows, weight: weight, dh: dh.pointer)
        let eh = finiteDifferenceError(parameter: h.pointer, count: rows * d, analytic: copyOut(dh.pointer, rows * d), loss: loss)
        let ew = finiteDifferenceError(parameter: store.values.pointer, count: store.count, analytic: store.gradients.array, loss: loss)
        #expect(eh.worst < gradientTolerance && ew.worst < gradientTolerance, "dh \(eh.worst), dW \(ew.worst)")
        // Padded rows of the readout never get gradient.
        #expect(store.gradients.array[(vocab * d)...].allSatisfy { $0 == 0 })
    }
}

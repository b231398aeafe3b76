import Dispatch
import ModelKit

/// Times the trainer's own non-GEMM kernels in isolation, on the code paths training runs, for
/// `growthbench calibrate`. Each function returns the best (lowest) seconds of one forward + backward over
/// `repeats` timed calls after one warm-up call; inputs are deterministic and bounded.
public enum KernelBenchmark {
    /// The causal attention core (block-causal GEMMs and softmax) for `batch` sequences of `heads` heads,
    /// forward then backward, on `Parallel.threads` workers.
    public static func attentionCore(batch: Int, heads: Int, headDim: Int, sequenceLength: Int, repeats: Int = 3) -> Double {
        let core = CausalAttentionCore<Float>(heads: heads, headDim: headDim, sequenceLength: sequenceLength,
                                              maxBatch: batch, scale: 1 / Double(headDim).squareRoot())
        let rows = batch * sequenceLength, a = heads * headDim
        let qkv = filled(rows * 3 * a), out = Buffer<Float>(count: rows * a), dOut = filled(rows * a)
        let dqkv = Buffer<Float>(count: rows * 3 * a)
        return best(repeats) {
            core.forward(qkv.pointer, batch: batch, into: out.pointer)
            core.backward(qkv.pointer, dOut.pointer, batch: batch, into: dqkv.pointer)
        }
    }

    /// One LayerNorm over `rows` × `width`, forward then backward (`MiniGPTKernels.normForwardPasses` +
    /// `normBackwardPasses` passes).
    public static func norm(rows: Int, width: Int, repeats: Int = 3) -> Double {
        let store = ParameterStore<Float>(layout: Normalization<Float>.layout("n", kind: .layernorm, width: width))
        store.values.pointer.update(repeating: 1, count: width)
        let n = Normalization<Float>(store: store, name: "n", kind: .layernorm, width: width, maxRows: rows)
        let x = filled(rows * width), y = Buffer<Float>(count: rows * width), dy = filled(rows * width)
        let dx = Buffer<Float>(count: rows * width)
        return best(repeats) {
            n.forward(x.pointer, rows: rows, into: y.pointer)
            n.backward(dy.pointer, rows: rows, dx: dx.pointer, accumulate: true)
        }
    }

    /// GELU over `rows` × `ffn`, forward then backward.
    public static func gelu(rows: Int, ffn: Int, repeats: Int = 3) -> Double {
        let u = filled(rows * ffn), t = Buffer<Float>(count: rows * ffn), g = Buffer<Float>(count: rows * ffn)
        let d = filled(rows * ffn)
        return best(repeats) {
            FeedForward<Float>.geluForward(u.pointer, tanhTerm: t.pointer, into: g.pointer, count: rows * ffn, rowLength: ffn)
            FeedForward<Float>.geluBackward(u.pointer, tanhTerm: t.pointer, gradient: d.pointer, count: rows * ffn, rowLength: ffn)
        }
    }

    /// A bias over `rows` × `columns`: added in place (forward), its gradient summed over rows (backward).
    public static func bias(rows: Int, columns: Int, repeats: Int = 3) -> Double {
        let y = filled(rows * columns), b = filled(columns), db = Buffer<Float>(count: columns)
        return best(repeats) {
            addRowVector(b.pointer, to: y.pointer, rows: rows, columns: columns, ld: columns)
            addColumnSums(of: y.pointer, rows: rows, columns: columns, to: db.pointer)
        }
    }

    /// Bounded deterministic values in [−1, 1).
    public static func filled(_ count: Int) -> Buffer<Float> {
        let b = Buffer<Float>(count: count)
        for i in 0..<count { b[i] = Float((i &* 2_654_435_761) % 2001) / 1000 - 1 }
        return b
    }

    /// Seconds of the fastest of `repeats` calls, after a warm-up call.
    public static func best(_ repeats: Int, _ body: () -> Void) -> Double {
        body()
        var fastest = Double.infinity
        for _ in 0..<max(1, repeats) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            body()
            fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return fastest
    }
}

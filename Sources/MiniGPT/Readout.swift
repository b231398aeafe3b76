/// Output head and loss: logits = α_out · h·Wᵀ over the padded vocabulary (W is the token embedding when tied),
/// softmax cross-entropy against the next token, averaged in Double. Padded vocabulary rows never receive
/// probability. Backward: dlogits = (softmax − onehot)·w per token; dW += α_out·dlogitsᵀ·h; dh = α_out·dlogits·W.
final class Readout<Scalar: GPTScalar> {
    let width: Int
    let vocab: Int
    let paddedVocab: Int
    let multiplier: Scalar
    let weight: UnsafeMutablePointer<Scalar>
    let weightGrad: UnsafeMutablePointer<Scalar>
    /// Logits, then probabilities after `forward`, [rows × paddedVocab].
    let probabilities: Buffer<Scalar>
    /// Per-token loss (nats) of the last forward, [rows].
    let tokenLoss: Buffer<Scalar>
    /// Set while the activation probe is on (nil on the training path).
    var probe: ActivationProbe?

    init(store: ParameterStore<Scalar>, width: Int, vocab: Int, paddedVocab: Int, tied: Bool, multiplier: Double,
         maxRows: Int) {
        self.width = width
        self.vocab = vocab
        self.paddedVocab = paddedVocab
        self.multiplier = Scalar(multiplier)
        let name = tied ? "embedding" : "readout.weight"
        weight = store.value(name)
        weightGrad = store.gradient(name)
        probabilities = Buffer(count: maxRows * paddedVocab)
        tokenLoss = Buffer(count: maxRows)
    }

    static func layout(vocabRows: Int, width: Int, tied: Bool)
        -> [TensorLayout] {
        tied ? [] : [TensorLayout("readout.weight", .readout, [vocabRows, width], .normal(scale: 1))]
    }

    /// Returns the sum of the token losses (nats).
    func forward(_ h: UnsafePointer<Scalar>, targets: UnsafePointer<Int32>, rows: Int) -> Double {
        let v = paddedVocab, valid = vocab
        Scalar.gemm(.none, .transposed, m: rows, n: v, k: width, alpha: multiplier, a: h, lda: width,
                    b: weight, ldb: width, beta: 0, c: probabilities.pointer, ldc: v)
        if let probe { probe.logits = meanAbsLogit(rows: rows) }
        let probs = SharedPointer(probabilities.pointer), loss = SharedPointer(tokenLoss.pointer)
        let tg = SharedPointer(UnsafeMutablePointer(mutating: targets))
        Parallel.chunks(rows, minimumPerChunk: 64) { range in
            for r in range {
                let row = probs.p + r * v
                let rawTarget = row[Int(tg.p[r])]
                let (m, sum) = softmaxRow(row, valid: valid, width: v)
                loss.p[r] = Scalar.log(sum) - (rawTarget - m)
            }
        }
        var total = 0.0
        for r in 0..<rows { total += Double(tokenLoss[r]) }
        return total
    }

    /// Probe only: mean |logit| over rows × the real vocabulary (padded columns excluded).
    private func meanAbsLogit(rows: Int) -> Double {
        var s = 0.0
        for r in 0..<rows {
            let row = probabilities.pointer + r * paddedVocab
            for j in 0..<vocab { s += Swift.abs(Double(row[j])) }
        }
        return s / Double(max(1, rows * vocab))
    }

    /// dh = ∂(weight · Σ loss)/∂h, and dW accumulated. Overwrites the probabilities.
    func backward(_ h: UnsafePointer<Scalar>, targets: UnsafePointer<Int32>, rows: Int, weight lossWeight: Scalar,
                  dh: UnsafeMutablePointer<Scalar>) {
        let v = paddedVocab
        let probs = SharedPointer(probabilities.pointer), tg = SharedPointer(UnsafeMutablePointer(mutating: targets))
        let scale = lossWeight
        Parallel.chunks(rows, minimumPerChunk: 64) { range in
            for r in range {
                let row = probs.p + r * v
                row[Int(tg.p[r])] -= 1
                for j in 0..<v { row[j] *= scale }
            }
        }
        Scalar.gemm(.transposed, .none, m: v, n: width, k: rows, alpha: multiplier, a: probabilities.pointer, lda: v,
                    b: h, ldb: width, beta: 1, c: weightGrad, ldc: width)
        Scalar.gemm(.none, .none, m: rows, n: width, k: v, alpha: multiplier, a: probabilities.pointer, lda: v,
                    b: weight, ldb: width, beta: 0, c: dh, ldc: width)
    }
}

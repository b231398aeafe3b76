/// Fully connected layer y = x·Wᵀ + b over `rows` rows at once (batch × sequence folded into the GEMM's M).
/// W is [out, in] row-major. Backward accumulates dW += dyᵀ·x and db += Σ_rows dy into the gradient buffer
/// (so micro-batches accumulate), and writes or adds dx = dy·W.
final class Linear<Scalar: GPTScalar> {
    let inputs: Int
    let outputs: Int
    let weight: UnsafeMutablePointer<Scalar>
    let weightGrad: UnsafeMutablePointer<Scalar>
    let bias: UnsafeMutablePointer<Scalar>?
    let biasGrad: UnsafeMutablePointer<Scalar>?

    init(store: ParameterStore<Scalar>, name: String, inputs: Int, outputs: Int, bias hasBias: Bool) {
        self.inputs = inputs
        self.outputs = outputs
        weight = store.value("\(name).weight")
        weightGrad = store.gradient("\(name).weight")
        bias = hasBias ? store.value("\(name).bias") : nil
        biasGrad = hasBias ? store.gradient("\(name).bias") : nil
    }

    static func layout(_ name: String, inputs: Int, outputs: Int, bias: Bool, initScale: Double = 1, rowBlocks: Int = 1)
        -> [TensorLayout] {
        var out: [TensorLayout] =
            [TensorLayout("\(name).weight", .hidden, [outputs, inputs], .normal(scale: initScale), rowBlocks: rowBlocks)]
        if bias { out.append(TensorLayout("\(name).bias", .vector, [outputs], .zeros, rowBlocks: rowBlocks)) }
        return out
    }

    /// y (rows × outputs, row stride ldy) = x·Wᵀ + b, or y += x·Wᵀ + b when `accumulate` (residual adds).
    func forward(_ x: UnsafePointer<Scalar>, rows: Int, into y: UnsafeMutablePointer<Scalar>, ldy: Int? = nil,
                 accumulate: Bool = false) {
        let ldy = ldy ?? outputs
        Scalar.gemm(.none, .transposed, m: rows, n: outputs, k: inputs, alpha: 1, a: x, lda: inputs,
                    b: weight, ldb: inputs, beta: accumulate ? 1 : 0, c: y, ldc: ldy)
        if let bias { addRowVector(bias, to: y, rows: rows, columns: outputs, ld: ldy) }
    }

    /// Accumulates dW and db from dy (rows × outputs); then dx = dy·W (or dx += dy·W) when dx is given.
    func backward(_ x: UnsafePointer<Scalar>, _ dy: UnsafePointer<Scalar>, rows: Int,
                  dx: UnsafeMutablePointer<Scalar>?, accumulateDx: Bool = false) {
        Scalar.gemm(.transposed, .none, m: outputs, n: inputs, k: rows, alpha: 1, a: dy, lda: outputs,
                    b: x, ldb: inputs, beta: 1, c: weightGrad, ldc: inputs)
        if let biasGrad { addColumnSums(of: dy, rows: rows, columns: outputs, to: biasGrad) }
        if let dx {
            Scalar.gemm(.none, .none, m: rows, n: inputs, k: outputs, alpha: 1, a: dy, lda: outputs,
                        b: weight, ldb: inputs, beta: accumulateDx ? 1 : 0, c: dx, ldc: inputs)
        }
    }
}

/// y[r, :] += v for every row.
@inline(__always)
func addRowVector<Scalar: GPTScalar>(_ v: UnsafePointer<Scalar>, to y: UnsafeMutablePointer<Scalar>,
                                     rows: Int, columns: Int, ld: Int) {
    for r in 0..<rows {
        let row = y + r * ld
        for c in 0..<columns { row[c] += v[c] }
    }
}

/// s[c] += Σ_r x[r, c].
@inline(__always)
func addColumnSums<Scalar: GPTScalar>(of x: UnsafePointer<Scalar>, rows: Int, columns: Int,
                                      to s: UnsafeMutablePointer<Scalar>) {
    for r in 0..<rows {
        let row = x + r * columns
        for c in 0..<columns { s[c] += row[c] }
    }
}

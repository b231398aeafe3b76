/// Token embedding with the input multiplier α_in, plus a learned position embedding when the model uses
/// learned positions: x[b, t] = α_in · (E[token[b, t]] + P[t]). Backward scatters α_in · dx into the rows used.
final class Embedding<Scalar: GPTScalar> {
    let width: Int
    let sequenceLength: Int
    let multiplier: Scalar
    let table: UnsafeMutablePointer<Scalar>
    let tableGrad: UnsafeMutablePointer<Scalar>
    let positions: UnsafeMutablePointer<Scalar>?
    let positionsGrad: UnsafeMutablePointer<Scalar>?

    init(store: ParameterStore<Scalar>, width: Int, sequenceLength: Int, learnedPositions: Bool, multiplier: Double) {
        self.width = width
        self.sequenceLength = sequenceLength
        self.multiplier = Scalar(multiplier)
        table = store.value("embedding")
        tableGrad = store.gradient("embedding")
        positions = learnedPositions ? store.value("position") : nil
        positionsGrad = learnedPositions ? store.gradient("position") : nil
    }

    static func layout(vocabRows: Int, width: Int, sequenceLength: Int, learnedPositions: Bool)
        -> [TensorLayout] {
        var out: [TensorLayout] =
            [TensorLayout("embedding", .embedding, [vocabRows, width], .normal(scale: 1))]
        if learnedPositions { out.append(TensorLayout("position", .position, [sequenceLength, width], .normal(scale: 1))) }
        return out
    }

    /// `tokens` holds `rows` token ids, row r at position r mod T.
    func forward(_ tokens: UnsafePointer<Int32>, rows: Int, into x: UnsafeMutablePointer<Scalar>) {
        let d = width, m = multiplier
        for r in 0..<rows {
            let e = table + Int(tokens[r]) * d, xr = x + r * d
            if let positions {
                let p = positions + (r % sequenceLength) * d
                for c in 0..<d { xr[c] = m * (e[c] + p[c]) }
            } else {
                for c in 0..<d { xr[c] = m * e[c] }
            }
        }
    }

    func backward(_ tokens: UnsafePointer<Int32>, rows: Int, dx: UnsafePointer<Scalar>) {
        let d = width, m = multiplier
        for r in 0..<rows {
            let g = tableGrad + Int(tokens[r]) * d, dxr = dx + r * d
            for c in 0..<d { g[c] += m * dxr[c] }
            if let positionsGrad {
                let pg = positionsGrad + (r % sequenceLength) * d
                for c in 0..<d { pg[c] += m * dxr[c] }
            }
        }
    }
}

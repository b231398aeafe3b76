import ModelKit

/// LayerNorm (Ba et al. 2016): y = (x − μ)/√(σ² + ε) · g + b, or RMSNorm (Zhang & Sennrich 2019):
/// y = x/√(mean(x²) + ε) · g, row by row. Keeps x̂ and 1/σ per row for backward:
///   dx = (1/σ) · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂)),  dx̂ = dy ⊙ g   (RMSNorm: without the mean(dx̂) term).
final class Normalization<Scalar: GPTScalar> {
    let kind: Norm
    let width: Int
    let gain: UnsafeMutablePointer<Scalar>
    let gainGrad: UnsafeMutablePointer<Scalar>
    let bias: UnsafeMutablePointer<Scalar>?
    let biasGrad: UnsafeMutablePointer<Scalar>?
    let epsilon: Scalar = 1e-5
    /// Normalised inputs x̂ (rows × width) and 1/σ per row, saved by forward.
    let normalized: Buffer<Scalar>
    let inverseStd: Buffer<Scalar>

    init(store: ParameterStore<Scalar>, name: String, kind: Norm, width: Int, maxRows: Int) {
        self.kind = kind
        self.width = width
        gain = store.value("\(name).gain")
        gainGrad = store.gradient("\(name).gain")
        bias = kind == .layernorm ? store.value("\(name).bias") : nil
        biasGrad = kind == .layernorm ? store.gradient("\(name).bias") : nil
        normalized = Buffer(count: maxRows * width)
        inverseStd = Buffer(count: maxRows)
    }

    static func layout(_ name: String, kind: Norm, width: Int)
        -> [TensorLayout] {
        var out: [TensorLayout] =
            [TensorLayout("\(name).gain", .vector, [width], .ones)]
        if kind == .layernorm { out.append(TensorLayout("\(name).bias", .vector, [width], .zeros)) }
        return out
    }

    /// MSG's masked statistics while the residual stream grows (`GrowthMask.newHiddenFrom`): coordinates from
    /// `from` on are new and carry weight c. nil: a plain norm.
    var mask: (from: Int, value: Scalar)?

    /// Forward and backward run one code path: a plain norm is the masked one with no new coordinates
    /// (from = width), so the two give bit-identical results at c = 1 and the plain path pays only empty loops.
    ///
    /// Masked LayerNorm (MSG, Yao et al. 2024 §3.3, cofe-ai/MSG `LayerNormEx`), weights m_j = 1 (old) or c (new),
    /// S = Σ m_j:  μ = Σ m_j x_j / S,  σ² = Σ m_j (x_j − μ)² / S,  y_j = m_j·((x_j − μ)/σ · g_j + b_j).
    /// Masked RMSNorm (our analogue; no published form): σ² = Σ m_j x_j² / S, y_j = m_j · x_j/σ · g_j.
    /// At c = 0 the statistics are the old width's and new outputs are 0, whatever x holds on new coordinates.
    /// Backward with w_j = m_j/S, x̂ = (x − μ)/σ, dx̂_j = m_j g_j dy_j (derivation in Tests/GrowthTests):
    ///   dx_j = (1/σ)·(dx̂_j − w_j Σ_i dx̂_i − w_j x̂_j Σ_i dx̂_i x̂_i)   (RMSNorm: without the middle term).
    private var split: (old: Int, value: Scalar) { mask.map { ($0.from, $0.value) } ?? (width, 1) }

    func forward(_ x: UnsafePointer<Scalar>, rows: Int, into y: UnsafeMutablePointer<Scalar>) {
        let d = width, xh = SharedPointer(normalized.pointer), rs = SharedPointer(inverseStd.pointer)
        let xs = SharedPointer(UnsafeMutablePointer(mutating: x)), ys = SharedPointer(y)
        let g = SharedPointer(gain), b = bias.map { SharedPointer($0) }, eps = epsilon, layer = kind == .layernorm
        let (w0, c) = split
        let total = Scalar(w0) + c * Scalar(d - w0)
        Parallel.chunks(rows, minimumPerChunk: 64) { range in
            for r in range {
                let xr = xs.p + r * d, hr = xh.p + r * d, yr = ys.p + r * d
                var mean: Scalar = 0
                if layer {
                    for j in 0..<w0 { mean += xr[j] }
                    for j in w0..<d { mean += c * xr[j] }
                    mean /= total
                }
                var sq: Scalar = 0
                for j in 0..<w0 { let v = xr[j] - mean; sq += v * v }
                for j in w0..<d { let v = xr[j] - mean; sq += c * (v * v) }
                let inv = 1 / (sq / total + eps).squareRoot()
                rs.p[r] = inv
                for j in 0..<d { hr[j] = (xr[j] - mean) * inv }
                if let b {
                    for j in 0..<w0 { yr[j] = hr[j] * g.p[j] + b.p[j] }
                    for j in w0..<d { yr[j] = c * (hr[j] * g.p[j] + b.p[j]) }
                } else {
                    for j in 0..<w0 { yr[j] = hr[j] * g.p[j] }
                    for j in w0..<d { yr[j] = c * (hr[j] * g.p[j]) }
                }
            }
        }
    }

    /// dx (+)= ∂L/∂x given dy; accumulates the gain and bias gradients. `dy` is overwritten (scratch).
    func backward(_ dy: UnsafeMutablePointer<Scalar>, rows: Int, dx: UnsafeMutablePointer<Scalar>, accumulate: Bool) {
        let d = width
        let (w0, c) = split
        let total = Scalar(w0) + c * Scalar(d - w0)
        // Parameter gradients first (a fixed-order reduction over rows, single-threaded: deterministic). The
        // output mask moves onto dy here: from now on dy holds ∂L/∂(x̂·g + b).
        for r in 0..<rows {
            let dyr = dy + r * d, hr = normalized.pointer + r * d
            for j in w0..<d { dyr[j] *= c }
            for j in 0..<d { gainGrad[j] += dyr[j] * hr[j] }
            if let biasGrad { for j in 0..<d { biasGrad[j] += dyr[j] } }
        }
        let xh = SharedPointer(normalized.pointer), rs = SharedPointer(inverseStd.pointer)
        let dys = SharedPointer(dy), dxs = SharedPointer(dx), g = SharedPointer(gain), layer = kind == .layernorm
        Parallel.chunks(rows, minimumPerChunk: 64) { range in
            for r in range {
                let dyr = dys.p + r * d, hr = xh.p + r * d, dxr = dxs.p + r * d
                var meanD: Scalar = 0, meanDX: Scalar = 0
                for j in 0..<d {
                    let v = dyr[j] * g.p[j]
                    dyr[j] = v
                    meanD += v
                    meanDX += v * hr[j]
                }
                meanD = layer ? meanD / total : 0
                meanDX /= total
                let inv = rs.p[r]
                let newD = c * meanD, newDX = c * meanDX
                if accumulate {
                    for j in 0..<w0 { dxr[j] += inv * (dyr[j] - meanD - hr[j] * meanDX) }
                    for j in w0..<d { dxr[j] += inv * (dyr[j] - newD - hr[j] * newDX) }
                } else {
                    for j in 0..<w0 { dxr[j] = inv * (dyr[j] - meanD - hr[j] * meanDX) }
                    for j in w0..<d { dxr[j] = inv * (dyr[j] - newD - hr[j] * newDX) }
                }
            }
        }
    }
}

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
        -> [(name: String, role: ParameterRole, shape: [Int], initializer: TensorInit)] {
        var out: [(name: String, role: ParameterRole, shape: [Int], initializer: TensorInit)] =
            [("\(name).gain", .vector, [width], .ones)]
        if kind == .layernorm { out.append(("\(name).bias", .vector, [width], .zeros)) }
        return out
    }

    func forward(_ x: UnsafePointer<Scalar>, rows: Int, into y: UnsafeMutablePointer<Scalar>) {
        let d = width, xh = SharedPointer(normalized.pointer), rs = SharedPointer(inverseStd.pointer)
        let xs = SharedPointer(UnsafeMutablePointer(mutating: x)), ys = SharedPointer(y)
        let g = SharedPointer(gain), b = bias.map { SharedPointer($0) }, eps = epsilon, layer = kind == .layernorm
        Parallel.chunks(rows, minimumPerChunk: 64) { range in
            for r in range {
                let xr = xs.p + r * d, hr = xh.p + r * d, yr = ys.p + r * d
                var mean: Scalar = 0
                if layer {
                    for c in 0..<d { mean += xr[c] }
                    mean /= Scalar(d)
                }
                var sq: Scalar = 0
                for c in 0..<d { let v = xr[c] - mean; sq += v * v }
                let inv = 1 / (sq / Scalar(d) + eps).squareRoot()
                rs.p[r] = inv
                for c in 0..<d { hr[c] = (xr[c] - mean) * inv }
                if let b {
                    for c in 0..<d { yr[c] = hr[c] * g.p[c] + b.p[c] }
                } else {
                    for c in 0..<d { yr[c] = hr[c] * g.p[c] }
                }
            }
        }
    }

    /// dx (+)= ∂L/∂x given dy; accumulates the gain and bias gradients. `dy` is overwritten (scratch).
    func backward(_ dy: UnsafeMutablePointer<Scalar>, rows: Int, dx: UnsafeMutablePointer<Scalar>, accumulate: Bool) {
        let d = width
        // Parameter gradients first (a fixed-order reduction over rows, single-threaded: deterministic).
        for r in 0..<rows {
            let dyr = dy + r * d, hr = normalized.pointer + r * d
            for c in 0..<d { gainGrad[c] += dyr[c] * hr[c] }
            if let biasGrad { for c in 0..<d { biasGrad[c] += dyr[c] } }
        }
        let xh = SharedPointer(normalized.pointer), rs = SharedPointer(inverseStd.pointer)
        let dys = SharedPointer(dy), dxs = SharedPointer(dx), g = SharedPointer(gain), layer = kind == .layernorm
        Parallel.chunks(rows, minimumPerChunk: 64) { range in
            for r in range {
                let dyr = dys.p + r * d, hr = xh.p + r * d, dxr = dxs.p + r * d
                var meanD: Scalar = 0, meanDX: Scalar = 0
                for c in 0..<d {
                    let v = dyr[c] * g.p[c]
                    dyr[c] = v
                    meanD += v
                    meanDX += v * hr[c]
                }
                meanD = layer ? meanD / Scalar(d) : 0
                meanDX /= Scalar(d)
                let inv = rs.p[r]
                if accumulate {
                    for c in 0..<d { dxr[c] += inv * (dyr[c] - meanD - hr[c] * meanDX) }
                } else {
                    for c in 0..<d { dxr[c] = inv * (dyr[c] - meanD - hr[c] * meanDX) }
                }
            }
        }
    }
}

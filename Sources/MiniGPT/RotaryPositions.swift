import ModelKit

/// Rotary position embedding applied to q and k in place.
///
/// RoPE (Su et al. 2021, arXiv 2104.09864, Eq. 34) rotates pairs of channels by angle t·θᵢ with
/// θᵢ = 10000^(−2i/d_head); we pair channel i with i + d_head/2 (the "rotate half" layout).
/// xPos (Sun et al. 2022, arXiv 2212.10554, §3.2) also scales the pair by ζᵢ^(t/B) in q and ζᵢ^(−t/B) in k,
/// ζᵢ = (2i/d_head + γ)/(1 + γ), γ = 0.4, B = 512, so that q·k decays with distance t − s.
/// Both are linear maps per (position, pair); backward applies their transposes to dq and dk.
final class RotaryPositions<Scalar: GPTScalar> {
    let headDim: Int
    let heads: Int
    let sequenceLength: Int
    /// cos and sin of t·θᵢ, [T × d_head/2].
    private let cosTable: [Scalar]
    private let sinTable: [Scalar]
    /// xPos scales for q and k, [T × d_head/2]; all 1 for RoPE.
    private let qScale: [Scalar]
    private let kScale: [Scalar]

    init(kind: PositionEncoding, heads: Int, headDim: Int, sequenceLength: Int) {
        precondition(kind != .learned && headDim % 2 == 0)
        self.heads = heads
        self.headDim = headDim
        self.sequenceLength = sequenceLength
        let half = headDim / 2
        var c = [Scalar](repeating: 0, count: sequenceLength * half), s = c
        var qs = [Scalar](repeating: 1, count: sequenceLength * half), ks = qs
        for t in 0..<sequenceLength {
            for i in 0..<half {
                let theta = Double.pow(10000, -2 * Double(i) / Double(headDim))
                let angle = Double(t) * theta
                c[t * half + i] = Scalar(Double.cos(angle))
                s[t * half + i] = Scalar(Double.sin(angle))
                if kind == .xpos {
                    let gamma = 0.4, scaleBase = 512.0
                    let zeta = (2 * Double(i) / Double(headDim) + gamma) / (1 + gamma)
                    qs[t * half + i] = Scalar(Double.pow(zeta, Double(t) / scaleBase))
                    ks[t * half + i] = Scalar(Double.pow(zeta, -Double(t) / scaleBase))
                }
            }
        }
        cosTable = c; sinTable = s; qScale = qs; kScale = ks
    }

    /// Rotates (and for xPos scales) the q and k parts of `qkv` ([rows × 3A]: q | k | v) in place.
    func forward(_ qkv: UnsafeMutablePointer<Scalar>, rows: Int) { apply(qkv, rows: rows, transpose: false) }

    /// Applies the transposed maps to dq and dk inside `dqkv` in place.
    func backward(_ dqkv: UnsafeMutablePointer<Scalar>, rows: Int) { apply(dqkv, rows: rows, transpose: true) }

    private func apply(_ buffer: UnsafeMutablePointer<Scalar>, rows: Int, transpose: Bool) {
        let headDim = headDim, a = heads * headDim, half = headDim / 2, heads = heads, t0 = sequenceLength
        let buf = SharedPointer(buffer)
        cosTable.withUnsafeBufferPointer { cosP in
        sinTable.withUnsafeBufferPointer { sinP in
        qScale.withUnsafeBufferPointer { qsP in
        kScale.withUnsafeBufferPointer { ksP in
            let cs = SharedPointer(UnsafeMutablePointer(mutating: cosP.baseAddress!))
            let sn = SharedPointer(UnsafeMutablePointer(mutating: sinP.baseAddress!))
            let qsc = SharedPointer(UnsafeMutablePointer(mutating: qsP.baseAddress!))
            let ksc = SharedPointer(UnsafeMutablePointer(mutating: ksP.baseAddress!))
            Parallel.chunks(rows, minimumPerChunk: 64) { range in
                for r in range {
                    let t = r % t0
                    let c = cs.p + t * half, s = sn.p + t * half
                    for part in 0..<2 {
                        let scale = (part == 0 ? qsc.p : ksc.p) + t * half
                        for h in 0..<heads {
                            let v = buf.p + r * 3 * a + part * a + h * headDim
                            for i in 0..<half {
                                let x0 = v[i], x1 = v[i + half], k = scale[i]
                                // forward: [x0', x1'] = k·R(θ)[x0, x1]; backward: k·R(θ)ᵀ.
                                let sgn: Scalar = transpose ? -s[i] : s[i]
                                v[i] = k * (x0 * c[i] - x1 * sgn)
                                v[i + half] = k * (x0 * sgn + x1 * c[i])
                            }
                        }
                    }
                }
            }
        }}}}
    }
}

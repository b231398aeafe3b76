import ModelKit

/// The MLP of a block.
///  GELU (Hendrycks & Gimpel 2016, tanh form): y = W₂·gelu(W₁x + b₁) + b₂,
///    gelu(u) = ½u(1 + tanh(√(2/π)(u + 0.044715u³))).
///  SwiGLU (Shazeer 2020, Eq. 6): y = W₂·(silu(W_g x) ⊙ W_u x), silu(a) = a·σ(a); W_g and W_u are stored as
///  one [2F × d] matrix ("in") so one GEMM computes both.
/// The output projection adds into the residual stream directly (GEMM with β = 1).
final class FeedForward<Scalar: GPTScalar> {
    let activation: Activation
    let width: Int
    let ffn: Int
    let input: Linear<Scalar>
    let output: Linear<Scalar>
    /// Pre-activations [rows × F] (GELU) or [rows × 2F] (gate | up).
    let pre: Buffer<Scalar>
    /// GELU: tanh(...) per element; SwiGLU: σ(gate) per element. [rows × F]
    let aux: Buffer<Scalar>
    /// Activated hidden [rows × F] (the output projection's input).
    let hidden: Buffer<Scalar>

    init(store: ParameterStore<Scalar>, name: String, activation: Activation, width: Int, ffn: Int,
         bias: Bool, maxRows: Int) {
        self.activation = activation
        self.width = width
        self.ffn = ffn
        let inWidth = activation == .swiglu ? 2 * ffn : ffn
        input = Linear(store: store, name: "\(name).in", inputs: width, outputs: inWidth, bias: bias)
        output = Linear(store: store, name: "\(name).out", inputs: ffn, outputs: width, bias: bias)
        pre = Buffer(count: maxRows * inWidth)
        aux = Buffer(count: maxRows * ffn)
        hidden = Buffer(count: maxRows * ffn)
    }

    static func layout(_ name: String, activation: Activation, width: Int, ffn: Int, bias: Bool, residualScale: Double)
        -> [TensorLayout] {
        Linear<Scalar>.layout("\(name).in", inputs: width, outputs: activation == .swiglu ? 2 * ffn : ffn, bias: bias,
                              rowBlocks: activation == .swiglu ? 2 : 1)
            + Linear<Scalar>.layout("\(name).out", inputs: ffn, outputs: width, bias: bias, initScale: residualScale)
    }

    static var geluC: Scalar { Scalar(0.797_884_560_802_865_4) }  // √(2/π)
    static var geluA: Scalar { Scalar(0.044_715) }

    /// GELU forward over `count` elements in rows of `rowLength`: t = tanh(c(u + k u³)) is kept for backward,
    /// g = ½u(1 + t).
    static func geluForward(_ u: UnsafeMutablePointer<Scalar>, tanhTerm t: UnsafeMutablePointer<Scalar>,
                            into g: UnsafeMutablePointer<Scalar>, count: Int, rowLength f: Int) {
        let c = geluC, k = geluA, u = SharedPointer(u), t = SharedPointer(t), g = SharedPointer(g)
        Parallel.chunks(count / f, minimumPerChunk: 16) { range in
            let lo = range.lowerBound * f, n = range.count * f
            let u = u.p + lo, t = t.p + lo, g = g.p + lo
            for i in 0..<n { let x = u[i]; t[i] = c * (x + k * x * x * x) }
            Scalar.vtanh(t, t, count: n)
            for i in 0..<n { g[i] = 0.5 * u[i] * (1 + t[i]) }
        }
    }

    /// GELU backward in place on d: d gelu/du = ½(1 + t) + ½u(1 − t²)·c·(1 + 3k u²).
    static func geluBackward(_ u: UnsafeMutablePointer<Scalar>, tanhTerm t: UnsafeMutablePointer<Scalar>,
                             gradient d: UnsafeMutablePointer<Scalar>, count: Int, rowLength f: Int) {
        let c = geluC, k = geluA, u = SharedPointer(u), t = SharedPointer(t), d = SharedPointer(d)
        Parallel.chunks(count / f, minimumPerChunk: 16) { range in
            let lo = range.lowerBound * f, n = range.count * f
            let u = u.p + lo, t = t.p + lo, d = d.p + lo
            for i in 0..<n {
                let x = u[i], th = t[i]
                d[i] *= 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * c * (1 + 3 * k * x * x)
            }
        }
    }

    /// MSG's FFN mask (`GrowthMask.newFFNFrom`): neurons from `from` on have their pre-activation (SwiGLU: the
    /// gate's) multiplied by c. nil: no growth in progress.
    var mask: (from: Int, value: Scalar)?

    /// residual += FFN(x).
    func forward(_ x: UnsafePointer<Scalar>, rows: Int, residual: UnsafeMutablePointer<Scalar>) {
        input.forward(x, rows: rows, into: pre.pointer)
        if let mask {
            scaleColumns(pre.pointer, rows: rows, ld: input.outputs, mask.from..<ffn, by: mask.value)
        }
        let f = ffn, pre = SharedPointer(pre.pointer), aux = SharedPointer(aux.pointer), hid = SharedPointer(hidden.pointer)
        switch activation {
        case .gelu:
            Self.geluForward(pre.p, tanhTerm: aux.p, into: hid.p, count: rows * f, rowLength: f)
        case .swiglu:
            Parallel.chunks(rows, minimumPerChunk: 16) { range in
                for r in range {
                    let gate = pre.p + r * 2 * f, up = gate + f, s = aux.p + r * f, g = hid.p + r * f
                    for i in 0..<f { s[i] = -gate[i] }
                    Scalar.vexp(s, s, count: f)
                    for i in 0..<f {
                        let sig = 1 / (1 + s[i])
                        s[i] = sig
                        g[i] = gate[i] * sig * up[i]
                    }
                }
            }
        }
        output.forward(hidden.pointer, rows: rows, into: residual, accumulate: true)
    }

    /// Given dy (the residual gradient), accumulates parameter gradients and writes dx (not accumulated).
    /// `scratch` must hold rows × F.
    func backward(_ x: UnsafePointer<Scalar>, _ dy: UnsafePointer<Scalar>, rows: Int,
                  scratch: UnsafeMutablePointer<Scalar>, scratchWide: UnsafeMutablePointer<Scalar>,
                  dx: UnsafeMutablePointer<Scalar>) {
        // dh = dy · W₂ (rows × F)
        output.backward(hidden.pointer, dy, rows: rows, dx: scratch)
        let f = ffn, pre = SharedPointer(pre.pointer), aux = SharedPointer(aux.pointer)
        let dh = SharedPointer(scratch), dpre = SharedPointer(scratchWide)
        switch activation {
        case .gelu:
            Self.geluBackward(pre.p, tanhTerm: aux.p, gradient: dh.p, count: rows * f, rowLength: f)
            if let mask { scaleColumns(scratch, rows: rows, ld: f, mask.from..<f, by: mask.value) }
            input.backward(x, scratch, rows: rows, dx: dx)
        case .swiglu:
            Parallel.chunks(rows, minimumPerChunk: 16) { range in
                for r in range {
                    let gate = pre.p + r * 2 * f, up = gate + f, s = aux.p + r * f, d = dh.p + r * f
                    let dg = dpre.p + r * 2 * f, du = dg + f
                    for i in 0..<f {
                        let sig = s[i], a = gate[i], silu = a * sig
                        du[i] = d[i] * silu
                        dg[i] = d[i] * up[i] * sig * (1 + a * (1 - sig))
                    }
                }
            }
            if let mask { scaleColumns(scratchWide, rows: rows, ld: 2 * f, mask.from..<f, by: mask.value) }
            input.backward(x, scratchWide, rows: rows, dx: dx)
        }
    }
}

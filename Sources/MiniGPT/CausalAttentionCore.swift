import ModelKit

/// The causal softmax attention core, per (sequence, head):  S = c·Q·Kᵀ, P = softmax(S + causal mask), O = P·V
/// (Vaswani et al. 2017, Eq. 1), with c = 1/√d_head or 1/d_head (µP). Backward (rows i, columns j ≤ i):
///   dV = Pᵀ·dO,  dP = dO·Vᵀ,  dS = P ⊙ (dP − rowsum(P ⊙ dP)),  dQ = c·dS·K,  dK = c·dSᵀ·Q.
///
/// Queries are processed in blocks of `block` rows; block [r0, r1) only multiplies against keys [0, r1), so
/// GEMMs skip the fully masked upper blocks (≈ (1 + 1/nblocks)/2 of the s×s work is done). Masked entries of
/// P inside a diagonal block are stored as 0. Items (sequence, head) run concurrently, each GEMM on one BLAS
/// thread; every item's arithmetic is fixed, so results do not depend on the thread count or scheduling.
final class CausalAttentionCore<Scalar: GPTScalar> {
    let heads: Int
    let headDim: Int
    let sequenceLength: Int
    let block: Int
    var scale: Scalar
    /// Attention probabilities [batch × heads × T × T] (row-major per item), saved for backward.
    let probabilities: Buffer<Scalar>
    /// Backward scratch for dP/dS, [batch × heads × block × T].
    private let scratch: Buffer<Scalar>
    let maxBatch: Int
    /// Activation probe only: Σ |c·q·k| over the causal entries, per item (sequence, head) of the last forward.
    /// nil on the training path.
    private(set) var logitAbsSums: UnsafeMutablePointer<Double>?

    /// Query rows per block of the block-causal GEMMs.
    static var defaultBlock: Int { MiniGPTKernels.attentionBlock }

    init(heads: Int, headDim: Int, sequenceLength: Int, maxBatch: Int, scale: Double, block: Int = defaultBlock) {
        self.heads = heads
        self.headDim = headDim
        self.sequenceLength = sequenceLength
        self.block = min(block, sequenceLength)
        self.scale = Scalar(scale)
        self.maxBatch = maxBatch
        probabilities = Buffer(count: maxBatch * heads * sequenceLength * sequenceLength)
        scratch = Buffer(count: maxBatch * heads * self.block * sequenceLength)
    }

    deinit { logitAbsSums?.deallocate() }

    /// Turns the attention-logit measurement of the activation probe on or off.
    func recordLogits(_ on: Bool) {
        if on, logitAbsSums == nil {
            logitAbsSums = .allocate(capacity: maxBatch * heads)
            logitAbsSums!.initialize(repeating: 0, count: maxBatch * heads)
        } else if !on, let p = logitAbsSums {
            p.deallocate()
            logitAbsSums = nil
        }
    }

    /// Mean |c·q·k| over the batch·heads·T(T+1)/2 causal entries of the last forward (probe on).
    func lastMeanAbsLogit(batch: Int) -> Double {
        guard let sums = logitAbsSums else { return .nan }
        var total = 0.0
        for i in 0..<(batch * heads) { total += sums[i] }
        return total / Double(batch * heads * sequenceLength * (sequenceLength + 1) / 2)
    }

    /// Fraction of the full s×s score and value work that the block-causal GEMMs execute.
    var executedFraction: Double { Self.executedFraction(sequenceLength: sequenceLength, block: block) }

    static func executedFraction(sequenceLength t: Int, block: Int) -> Double {
        MiniGPTKernels.attentionExecutedFraction(sequenceLength: t, block: block)
    }

    /// qkv: [batch·T × 3A] (q | k | v, head h at columns h·d_head); out: [batch·T × A].
    func forward(_ qkv: UnsafePointer<Scalar>, batch: Int, into out: UnsafeMutablePointer<Scalar>) {
        let t = sequenceLength, dh = headDim, a = heads * headDim, ld = 3 * a, heads = heads, blk = block
        let scale = scale
        let q0 = SharedPointer(UnsafeMutablePointer(mutating: qkv)), o0 = SharedPointer(out)
        let p0 = SharedPointer(probabilities.pointer)
        let sums = logitAbsSums.map { SharedPointer($0) }
        Parallel.withSingleThreadedBLAS {
            Parallel.chunks(batch * heads) { items in
                for item in items {
                    let b = item / heads, h = item % heads
                    let q = q0.p + b * t * ld + h * dh, k = q + a, v = q + 2 * a
                    let p = p0.p + item * t * t
                    var r0 = 0
                    while r0 < t {
                        let r1 = min(r0 + blk, t), rb = r1 - r0
                        let s = p + r0 * t
                        Scalar.gemm(.none, .transposed, m: rb, n: r1, k: dh, alpha: scale, a: q + r0 * ld, lda: ld,
                                    b: k, ldb: ld, beta: 0, c: s, ldc: t)
                        if let sums { Self.addCausalAbs(s, rows: r0..<r1, ld: t, into: sums.p + item, first: r0 == 0) }
                        for i in r0..<r1 { softmaxRow(s + (i - r0) * t, valid: i + 1, width: r1) }
                        Scalar.gemm(.none, .none, m: rb, n: dh, k: r1, alpha: 1, a: s, lda: t, b: v, ldb: ld,
                                    beta: 0, c: o0.p + (b * t + r0) * a + h * dh, ldc: a)
                        r0 = r1
                    }
                }
            }
        }
    }

    /// Given dO [batch·T × A], writes dq, dk, dv into dqkv [batch·T × 3A] (every element is written).
    func backward(_ qkv: UnsafePointer<Scalar>, _ dOut: UnsafePointer<Scalar>, batch: Int,
                  into dqkv: UnsafeMutablePointer<Scalar>) {
        let t = sequenceLength, dh = headDim, a = heads * headDim, ld = 3 * a, heads = heads, blk = block
        let scale = scale
        let q0 = SharedPointer(UnsafeMutablePointer(mutating: qkv)), do0 = SharedPointer(UnsafeMutablePointer(mutating: dOut))
        let dq0 = SharedPointer(dqkv), p0 = SharedPointer(probabilities.pointer), sc0 = SharedPointer(scratch.pointer)
        Parallel.withSingleThreadedBLAS {
            Parallel.chunks(batch * heads) { items in
                for item in items {
                    let b = item / heads, h = item % heads
                    let q = q0.p + b * t * ld + h * dh, k = q + a, v = q + 2 * a
                    let dq = dq0.p + b * t * ld + h * dh, dk = dq + a, dv = dq + 2 * a
                    let dO = do0.p + b * t * a + h * dh
                    let p = p0.p + item * t * t
                    let ds = sc0.p + item * blk * t
                    for r in 0..<t {
                        for c in 0..<dh { dk[r * ld + c] = 0; dv[r * ld + c] = 0 }
                    }
                    var r0 = 0
                    while r0 < t {
                        let r1 = min(r0 + blk, t), rb = r1 - r0
                        let pb = p + r0 * t
                        // dV[0, r1) += P[r0, r1)ᵀ · dO[r0, r1)
                        Scalar.gemm(.transposed, .none, m: r1, n: dh, k: rb, alpha: 1, a: pb, lda: t,
                                    b: dO + r0 * a, ldb: a, beta: 1, c: dv, ldc: ld)
                        // dP = dO[r0, r1) · V[0, r1)ᵀ
                        Scalar.gemm(.none, .transposed, m: rb, n: r1, k: dh, alpha: 1, a: dO + r0 * a, lda: a,
                                    b: v, ldb: ld, beta: 0, c: ds, ldc: t)
                        for i in 0..<rb {
                            let pr = pb + i * t, dr = ds + i * t, n = r0 + i + 1
                            var dot: Scalar = 0
                            for j in 0..<n { dot += pr[j] * dr[j] }
                            for j in 0..<n { dr[j] = pr[j] * (dr[j] - dot) }
                            for j in n..<r1 { dr[j] = 0 }
                        }
                        // dQ[r0, r1) = c · dS · K[0, r1);  dK[0, r1) += c · dSᵀ · Q[r0, r1)
                        Scalar.gemm(.none, .none, m: rb, n: dh, k: r1, alpha: scale, a: ds, lda: t, b: k, ldb: ld,
                                    beta: 0, c: dq + r0 * ld, ldc: ld)
                        Scalar.gemm(.transposed, .none, m: r1, n: dh, k: rb, alpha: scale, a: ds, lda: t,
                                    b: q + r0 * ld, ldb: ld, beta: 1, c: dk, ldc: ld)
                        r0 = r1
                    }
                }
            }
        }
    }

    /// Probe only: *sum (+)= Σ_{i in rows, j ≤ i} |s[i − rows.first, j]| (reset when `first`).
    static func addCausalAbs(_ s: UnsafePointer<Scalar>, rows: Range<Int>, ld: Int, into sum: UnsafeMutablePointer<Double>,
                             first: Bool) {
        var acc = 0.0
        for i in rows {
            let row = s + (i - rows.lowerBound) * ld
            for j in 0...i { acc += Swift.abs(Double(row[j])) }
        }
        sum.pointee = first ? acc : sum.pointee + acc
    }
}

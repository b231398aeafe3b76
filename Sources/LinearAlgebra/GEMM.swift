internal import CBLAS

/// Whether a GEMM operand is used as stored or transposed.
public enum Transpose: Sendable {
    case none
    case transposed

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// Row-major single-precision GEMM through OpenBLAS: C ← α·op(A)·op(B) + β·C,
/// where op(A) is m×k, op(B) is k×n and C is m×n. Leading dimensions are row strides.
@inlinable
public func sgemm(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    sgemmImpl(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

@usableFromInline
func sgemmImpl(
    _ transA: Transpose, _ transB: Transpose, _ m: Int, _ n: Int, _ k: Int,
    _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
) {
    cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas,
                blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                beta, c, blasint(ldc))
}

/// Row-major double-precision GEMM (used by gradient checks): C ← α·op(A)·op(B) + β·C.
public func dgemm(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int,
    alpha: Double = 1, a: UnsafePointer<Double>, lda: Int,
    b: UnsafePointer<Double>, ldb: Int,
    beta: Double = 0, c: UnsafeMutablePointer<Double>, ldc: Int
) {
    cblas_dgemm(CblasRowMajor, transA.cblas, transB.cblas,
                blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                beta, c, blasint(ldc))
}

/// OpenBLAS thread pool control. Results are deterministic for a fixed thread count.
public enum BLASThreads {
    public static var count: Int { Int(openblas_get_num_threads()) }
    public static func set(_ threads: Int) { openblas_set_num_threads(Int32(max(1, threads))) }
    /// The OpenBLAS build configuration string (names the kernel in use, e.g. "Haswell").
    public static var configuration: String { String(cString: openblas_get_config()) }

    /// The shared library `cblas_sgemm` resolves to in this process. Must be OpenBLAS: GSL's reference CBLAS
    /// (libgslcblas) exports the same symbol and is ~6× slower on the trainer's shapes.
    public static var sgemmLibrary: String {
        gb_library_providing("cblas_sgemm").map { String(cString: $0) } ?? "none"
    }
}

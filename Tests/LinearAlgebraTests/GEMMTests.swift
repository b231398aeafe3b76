import Testing
@testable import LinearAlgebra

/// Naive triple loop used only as the oracle for the BLAS call.
private func naiveProduct(_ a: [Double], _ b: [Double], m: Int, n: Int, k: Int,
                          transA: Bool, transB: Bool) -> [Double] {
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0
            for p in 0..<k {
                let aip = transA ? a[p * m + i] : a[i * k + p]
                let bpj = transB ? b[j * k + p] : b[p * n + j]
                s += aip * bpj
            }
            c[i * n + j] = s
        }
    }
    return c
}

/// Deterministic pseudo-random values in [-1, 1) (SplitMix64).
private func values(_ count: Int, seed: UInt64) -> [Double] {
    var state = seed
    return (0..<count).map { _ in
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53) * 2 - 1
    }
}

@Suite struct GEMMTests {
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func sgemmMatchesNaiveProduct(transA: Bool, transB: Bool) {
        let (m, n, k) = (37, 23, 51)
        let a = values(m * k, seed: 1), b = values(k * n, seed: 2)
        let expected = naiveProduct(a, b, m: m, n: n, k: k, transA: transA, transB: transB)
        let af = a.map(Float.init), bf = b.map(Float.init)
        var c = [Float](repeating: 0, count: m * n)
        sgemm(transA ? .transposed : .none, transB ? .transposed : .none, m: m, n: n, k: k,
              a: af, lda: transA ? m : k, b: bf, ldb: transB ? k : n, c: &c, ldc: n)
        // fp32 accumulation over k = 51 terms of magnitude ≤ 1: error well below 1e-4.
        for i in 0..<(m * n) { #expect(abs(Double(c[i]) - expected[i]) < 1e-4) }
    }

    @Test func dgemmAccumulatesWithBeta() {
        let (m, n, k) = (8, 5, 7)
        let a = values(m * k, seed: 3), b = values(k * n, seed: 4)
        let product = naiveProduct(a, b, m: m, n: n, k: k, transA: false, transB: false)
        var c = [Double](repeating: 1, count: m * n)
        dgemm(.none, .none, m: m, n: n, k: k, alpha: 2, a: a, lda: k, b: b, ldb: n, beta: 0.5, c: &c, ldc: n)
        for i in 0..<(m * n) { #expect(abs(c[i] - (2 * product[i] + 0.5)) < 1e-12) }
    }

    @Test func threadCountCanBeSet() {
        BLASThreads.set(1)
        #expect(BLASThreads.count == 1)
        #expect(!BLASThreads.configuration.isEmpty)
    }
}

@Suite struct BLASLinkTests {
    /// Every binary that links both GSL and OpenBLAS must resolve cblas_sgemm to OpenBLAS (this test binary links
    /// both): GSL's reference CBLAS exports the same symbol and once made the trainer 6× slower.
    @Test func sgemmComesFromOpenBLAS() {
        #expect(BLASThreads.sgemmLibrary.lowercased().contains("openblas"), "cblas_sgemm from \(BLASThreads.sgemmLibrary)")
    }
}

/// Vectorised exp and tanh for Float (8 lanes), used by softmax, GELU and SiLU on the hot path.
///
/// exp: round-to-nearest by a shifter constant, Cody–Waite range reduction x = n·ln2 + r, |r| ≤ ln2/2, then a degree-6 minimax polynomial for e^r
/// (the Cephes `expf` coefficients) and 2ⁿ built in the exponent bits. Relative error ≈ 2 ulp on the clamped
/// range [−87, 88]; inputs below −87 give ≈ 1.6e−38 instead of denormals/zero, which is harmless here.
/// tanh(x) = 1 − 2/(e^{2x} + 1), with |x| clamped at 9 (tanh(9) rounds to 1 in Float).
public enum FastMath {
    public typealias V = SIMD8<Float>

    @inline(__always)
    public static func exp(_ xIn: V) -> V {
        let x = xIn.clamped(lowerBound: V(repeating: -87), upperBound: V(repeating: 88))
        // n = round(x·log₂e) by the 1.5·2²³ shifter: adding it leaves the rounded integer in the low mantissa bits.
        let shifted = x * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        // ln 2 split in a high part exact in Float and a low correction.
        var r = x - n * 0.693_359_375
        r = r + n * 2.121_944_4e-4
        var p = V(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let e = p * (r * r) + r + 1
        // 2ⁿ: the low mantissa bits of (shifted + 127) are 2²² + n + 127; shifting them into the exponent field
        // drops everything above.
        let bits = unsafeBitCast(shifted + 127, to: SIMD8<UInt32>.self) &<< 23
        return e * unsafeBitCast(bits, to: V.self)
    }

    @inline(__always)
    public static func tanh(_ x: V) -> V {
        let c = x.clamped(lowerBound: V(repeating: -9), upperBound: V(repeating: 9))
        let e = exp(c + c)
        return 1 - 2 / (e + 1)
    }

    public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: exp(v), as: V.self)
            i += 8
        }
        if i < count { tail(x + i, y + i, count - i, exp) }
    }

    public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: tanh(v), as: V.self)
            i += 8
        }
        if i < count { tail(x + i, y + i, count - i, tanh) }
    }

    @inline(__always)
    private static func tail(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ f: (V) -> V) {
        var v = V(repeating: 0)
        for j in 0..<n { v[j] = x[j] }
        let r = f(v)
        for j in 0..<n { y[j] = r[j] }
    }
}

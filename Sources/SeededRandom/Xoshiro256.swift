/// xoshiro256** (Blackman & Vigna 2018, "Scrambled linear pseudorandom number generators"), seeded through
/// SplitMix64 as its authors recommend. Its whole state is four words, so a checkpoint can store it and a
/// resumed run continues the exact same stream.
public struct Xoshiro256: RandomNumberGenerator, Sendable, Equatable, Codable {
    public private(set) var state: [UInt64]

    /// Expands a 64-bit seed into a full state with SplitMix64 (never all zero).
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        state = (0..<4).map { _ in sm.next() }
    }

    /// Restores a saved state. Nil when it is not four words or is all zero (an invalid xoshiro state).
    public init?(state: [UInt64]) {
        guard state.count == 4, state.contains(where: { $0 != 0 }) else { return nil }
        self.state = state
    }

    /// A generator for a named sub-stream (e.g. "init", "data"), so streams do not depend on each other.
    public init(seed: UInt64, stream: String) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the stream name
        for b in stream.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        self.init(seed: seed ^ h)
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = Self.rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = Self.rotl(state[3], 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in 0..<bound (Lemire's unbiased multiply-shift; deterministic for a given state).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Standard normal by Box–Muller (one value per call; the pair's second value is dropped so that the
    /// state alone determines the stream).
    public mutating func nextNormal() -> Double {
        var u1 = nextDouble()
        while u1 <= 0 { u1 = nextDouble() }
        let u2 = nextDouble()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Normal(0, std²) truncated to ±`bound`·std by rejection (the usual "trunc_normal" initialiser, a = −2σ,
    /// b = 2σ by default).
    public mutating func nextTruncatedNormal(std: Double, bound: Double = 2) -> Double {
        while true {
            let z = nextNormal()
            if abs(z) <= bound { return z * std }
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): used only to expand seeds.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import SeededRandom

/// Serialisable position of a `MixtureSampler`: its RNG state and how many windows it has drawn.
public struct SamplerState: Codable, Sendable, Equatable {
    public var rng: [UInt64]
    public var drawn: Int
    public init(rng: [UInt64], drawn: Int) { self.rng = rng; self.drawn = drawn }
}

/// Draws training windows from several domains by configured proportions (like Tele-FLM's Table 1 data
/// mixture): each window picks a domain with probability ∝ its weight, then a uniformly random offset in that
/// domain's training stream. Fully determined by the seed and the number of windows drawn, and resumable from
/// `state`.
public struct MixtureSampler: Sendable {
    public let names: [String]
    private let cumulative: [Double]
    private var rng: Xoshiro256
    public private(set) var drawn = 0

    /// `weights` need not sum to 1; each must be positive.
    public init(names: [String], weights: [Double], seed: UInt64) {
        precondition(names.count == weights.count && !names.isEmpty && weights.allSatisfy { $0 > 0 })
        self.names = names
        let total = weights.reduce(0, +)
        var acc = 0.0
        cumulative = weights.map { acc += $0 / total; return acc }
        rng = Xoshiro256(seed: seed, stream: "data")
    }

    public var state: SamplerState { SamplerState(rng: rng.state, drawn: drawn) }

    public mutating func restore(_ s: SamplerState) throws {
        guard let r = Xoshiro256(state: s.rng), s.drawn >= 0 else {
            throw CorpusError("expected a data-loader state (4 random-generator words, not all zero, and drawn ≥ 0), found \(s.rng.count) words and drawn \(s.drawn)")
        }
        rng = r
        drawn = s.drawn
    }

    /// Index of the next window's domain.
    public mutating func nextDomain() -> Int {
        let u = rng.nextDouble()
        return cumulative.firstIndex { u < $0 } ?? (cumulative.count - 1)
    }

    /// Writes the next window of `length` token ids from one of `domains` (in the order of `names`) and returns
    /// the domain index.
    @discardableResult
    public mutating func nextWindow(from domains: [TextDomain], length: Int, into out: UnsafeMutablePointer<Int32>) -> Int {
        let d = nextDomain()
        let stream = domains[d].train
        precondition(stream.count > length, "domain \(names[d]) is shorter than one window")
        let offset = rng.nextInt(below: stream.count - length + 1)
        stream.withUnsafeBufferPointer { s in
            for i in 0..<length { out[i] = Int32(s[offset + i]) }
        }
        drawn += 1
        return d
    }
}

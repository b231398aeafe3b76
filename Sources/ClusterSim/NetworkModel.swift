import ModelKit

/// A link between the ranks of a parallel group: bus bandwidth and per-step latency (nccl-tests
/// doc/PERFORMANCE.md conventions: bus bandwidth B, n ranks, S bytes of the full buffer, α per ring step).
public struct Link: Sendable, Equatable, Codable {
    /// Bus bandwidth, bytes/s.
    public var bandwidth: Double
    /// Latency per step, seconds.
    public var latency: Double
    /// The slowest link the collective crosses.
    public var kind: LinkKind

    public init(bandwidth: Double, latency: Double, kind: LinkKind) {
        self.bandwidth = bandwidth; self.latency = latency; self.kind = kind
    }
}

/// What a link is: GPU-to-GPU inside a node, or the inter-node network.
public enum LinkKind: String, Sendable, Equatable, Codable { case nvlink, network }

/// Prices collectives. The simulator asks only this (ASTRA-sim's lesson: one small network interface,
/// several back ends behind it): `AlphaBetaNetwork` is the analytical model, `FreeNetwork` the "what if this
/// traffic were free" back end; a contention-aware model would be a third.
public protocol NetworkModel: Sendable {
    /// Seconds for `kind` over `ranks` ranks of a full buffer of `bytes` on `link`.
    func time(_ kind: CollectiveKind, bytes: Double, ranks: Int, link: Link) -> Double
}

extension NetworkModel {
    /// Fixed cost and cost per byte of `kind` (exact for affine models such as α–β; the secant from 0 to 1 MB
    /// otherwise), for traffic whose size is decided later — gradient buckets split as the backward pass goes.
    public func affine(_ kind: CollectiveKind, ranks: Int, link: Link) -> (latency: Double, perByte: Double) {
        let zero = time(kind, bytes: 0, ranks: ranks, link: link)
        return (zero, (time(kind, bytes: 1e6, ranks: ranks, link: link) - zero) / 1e6)
    }
}

/// The α–β (latency–bandwidth) model of NCCL's ring algorithms:
/// all-reduce 2(n−1)/n · S/B + 2(n−1)·α; reduce-scatter and all-gather (n−1)/n · S/B + (n−1)·α; send α + S/B.
/// `allReduce: .fasterOfRingAndTree` also considers the double binary tree, 2·S/B + 2·⌈log₂ n⌉·α, which NCCL's
/// tuner picks for latency-bound sizes; the default is the ring, NCCL's choice for the multi-megabyte tensor- and
/// data-parallel buffers of LLM training.
public struct AlphaBetaNetwork: NetworkModel {
    public enum AllReduce: Sendable { case ring, fasterOfRingAndTree }
    public var allReduce: AllReduce

    public init(allReduce: AllReduce = .ring) { self.allReduce = allReduce }

    public func time(_ kind: CollectiveKind, bytes S: Double, ranks n: Int, link: Link) -> Double {
        let B = link.bandwidth, α = link.latency
        switch kind {
        case .send:
            return S == 0 ? 0 : α + S / B
        case .reduceScatter, .allGather:
            guard n > 1 else { return 0 }
            return Double(n - 1) / Double(n) * S / B + Double(n - 1) * α
        case .allReduce:
            guard n > 1 else { return 0 }
            let ring = 2 * Double(n - 1) / Double(n) * S / B + 2 * Double(n - 1) * α
            guard allReduce == .fasterOfRingAndTree else { return ring }
            let depth = Double(Int.bitWidth - (n - 1).leadingZeroBitCount)
            return min(ring, 2 * S / B + 2 * depth * α)
        }
    }
}

/// Every collective takes no time: the "what if it were free" back end that measures exposed communication.
public struct FreeNetwork: NetworkModel {
    public init() {}
    public func time(_ kind: CollectiveKind, bytes: Double, ranks: Int, link: Link) -> Double { 0 }
}

/// α–β cost of NCCL-style collectives (nccl-tests doc/PERFORMANCE.md conventions: bus bandwidth B, n ranks,
/// S bytes of the full buffer, α per ring step).
public struct Link: Sendable, Equatable, Codable {
    /// Bus bandwidth, bytes/s.
    public var bandwidth: Double
    /// Latency per step, seconds.
    public var latency: Double
    /// "nvlink" or "network": the slowest link the collective crosses.
    public var kind: String

    public static let free = Link(bandwidth: .infinity, latency: 0, kind: "free")
}

public enum Collective {
    /// Ring all-reduce: 2(n−1)/n · S/B + 2(n−1)·α.
    public static func ringAllReduce(bytes: Double, ranks n: Int, link: Link) -> Double {
        guard n > 1 else { return 0 }
        let f = Double(n - 1) / Double(n)
        return 2 * f * bytes / link.bandwidth + 2 * Double(n - 1) * link.latency
    }

    /// Double-binary-tree all-reduce (NCCL's choice for latency-bound sizes): 2·S/B + 2·⌈log₂ n⌉·α.
    public static func treeAllReduce(bytes: Double, ranks n: Int, link: Link) -> Double {
        guard n > 1 else { return 0 }
        let depth = Double(Int.bitWidth - (n - 1).leadingZeroBitCount)
        return 2 * bytes / link.bandwidth + 2 * depth * link.latency
    }

    /// The faster of ring and tree, as NCCL's tuner picks.
    public static func allReduce(bytes: Double, ranks n: Int, link: Link) -> Double {
        min(ringAllReduce(bytes: bytes, ranks: n, link: link), treeAllReduce(bytes: bytes, ranks: n, link: link))
    }

    /// Ring reduce-scatter or all-gather of a full buffer of S bytes: (n−1)/n · S/B + (n−1)·α.
    public static func reduceScatter(bytes: Double, ranks n: Int, link: Link) -> Double {
        guard n > 1 else { return 0 }
        return Double(n - 1) / Double(n) * bytes / link.bandwidth + Double(n - 1) * link.latency
    }

    public static func allGather(bytes: Double, ranks n: Int, link: Link) -> Double {
        reduceScatter(bytes: bytes, ranks: n, link: link)
    }

    /// Point-to-point send of S bytes: α + S/B.
    public static func send(bytes: Double, link: Link) -> Double {
        bytes == 0 ? 0 : link.latency + bytes / link.bandwidth
    }
}

import ModelKit
import Hardware

/// Which link each kind of traffic crosses, from the rank placement (`RankOrder`).
public struct Placement: Sendable, Equatable, Codable {
    public var tensorLink: Link
    /// Link between pipeline ranks i and j of one replica (`pipelineLink(from:to:)`).
    public var nvlink: Link
    public var pipelineNetwork: Link
    public var pipelineStride: Int
    public var gpusPerNode: Int
    /// The group that reduces gradients: every rank holding the same parameters (dp × cp).
    public var dataLink: Link
    /// Members of one data-parallel group that share a node (they talk over NVLink).
    public var dataMembersPerNode: Int
    /// The context-parallel ring (ranks of one sequence's chunks).
    public var contextLink: Link
    /// The ZeRO / FSDP shard group (the first `shardRanks` of the dp × cp ranks), and the group of its replicas (HSDP).
    public var shardLink: Link
    public var replicaLink: Link
    public var order: RankOrder

    public init(layout: ParallelLayout, system: SystemProfile, order: RankOrder) {
        let g = system.gpusPerNode
        let e = system.efficiency
        let t = layout.tensor, p = layout.pipeline, d = layout.data
        let nvlink = Link(bandwidth: system.nvlinkBytesPerSecond * e.nvlinkBusFraction, latency: e.nvlinkLatency, kind: .nvlink)
        // Every GPU of a node moves its own traffic at once, so each gets 1/g of the node's NICs.
        let perGPUNetwork = system.nodeNetworkBytesPerSecond * e.networkBusFraction / Double(g)
        func network(sharedBy members: Int) -> Link {
            // `members` ranks of one group on a node enter and leave it as one ring flow.
            Link(bandwidth: min(perGPUNetwork * Double(members), nvlink.bandwidth), latency: e.networkLatency, kind: .network)
        }
        self.order = order
        // A TP group larger than a node fills whole nodes: its g members per node share the node's NICs.
        tensorLink = t <= g ? nvlink : network(sharedBy: g)
        // Ranks are numbered tp fastest, then cp, then dp and pp in `order` (Megatron-LM's tp-cp-dp-pp).
        let cp = layout.contextParallel
        let cpStride = t
        let dataStride = order == .tpDpPp ? t * cp : t * cp * p
        let pipeStride = order == .tpDpPp ? t * cp * d : t * cp
        // Member i of the dp × cp group: context index i mod cp, data index i / cp (ranks grow with i).
        func replicaRank(_ i: Int) -> Int { (i % cp) * cpStride + (i / cp) * dataStride }
        /// Offsets k·stride for k < n, at most one node's worth (whether a group straddles a node boundary depends only
        /// on where it starts modulo the node, so g offsets of a dimension cover every case).
        func offsets(_ n: Int, _ stride: Int) -> [Int] { (0..<min(n, g)).map { $0 * stride } }
        func combine(_ a: [Int], _ b: [Int]) -> [Int] { Array(Set(a.flatMap { x in b.map { (x + $0) % g } })) }
        let tensorAndPipe = combine(offsets(t, 1), offsets(p, pipeStride))
        /// The link of every group whose members are `start + rank(0..<count)`, `start` running over `starts` (the other
        /// dimensions' offsets): NVLink when each group sits on one node, else the network, shared by the fewest members
        /// any group has on its first node (the slowest ring sets the pace).
        func groupLink(count: Int, starts: [Int], rank: (Int) -> Int) -> (link: Link, membersPerNode: Int) {
            guard count > 1 else { return (nvlink, 1) }
            var crosses = false, fewest = count
            for start in Set(starts.map { $0 % g }) {
                var onFirstNode = 0
                while onFirstNode < count && start + rank(onFirstNode) < g { onFirstNode += 1 }
                if onFirstNode < count { crosses = true }
                fewest = min(fewest, max(1, onFirstNode))
            }
            return crosses ? (network(sharedBy: fewest), fewest) : (nvlink, count)
        }
        let shard = layout.shardRanks, replicas = layout.shardReplicas
        let data = groupLink(count: d * cp, starts: tensorAndPipe, rank: replicaRank)
        dataMembersPerNode = data.membersPerNode
        dataLink = data.link
        contextLink = groupLink(count: cp, starts: combine(tensorAndPipe, offsets(d, dataStride))) { $0 * cpStride }.link
        shardLink = groupLink(count: shard, starts: combine(tensorAndPipe, (0..<min(replicas, g)).map { replicaRank($0 * shard) }),
                              rank: replicaRank).link
        replicaLink = groupLink(count: replicas, starts: combine(tensorAndPipe, (0..<min(shard, g)).map(replicaRank))) {
            replicaRank($0 * shard)
        }.link
        pipelineStride = pipeStride
        gpusPerNode = g
        self.nvlink = nvlink
        pipelineNetwork = network(sharedBy: 1)
    }

    /// The link a collective of `group` crosses (pipeline sends: `pipelineLink(from:to:)`, which depends on the ranks).
    public func link(for group: ParallelGroup) -> Link {
        switch group {
        case .tensor: tensorLink
        case .context: contextLink
        case .data: dataLink
        case .shard: shardLink
        case .shardReplicas: replicaLink
        case .pipeline: pipelineNetwork
        }
    }

    /// NVLink when both pipeline ranks sit on the same node, else the network.
    public func pipelineLink(from i: Int, to j: Int) -> Link {
        (i * pipelineStride) / gpusPerNode == (j * pipelineStride) / gpusPerNode ? nvlink : pipelineNetwork
    }
}

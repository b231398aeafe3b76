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
        /// The link of a group whose members are `rank(0..<count)` (ranks of the group holding rank 0): NVLink when all
        /// sit on one node, else the network shared by the members that do share a node. Counted on rank 0's group,
        /// which stands for every group when the innermost stride divides the node; otherwise groups at other offsets
        /// straddle nodes, so the group is taken as crossing the network with ⌊node / stride⌋ members per node.
        func groupLink(count: Int, rank: (Int) -> Int) -> (link: Link, membersPerNode: Int) {
            guard count > 1 else { return (nvlink, 1) }
            let stride = rank(1) - rank(0)
            if g % stride != 0 {
                let members = max(1, min(count, g / stride))
                return (network(sharedBy: members), members)
            }
            var onFirstNode = 0
            while onFirstNode < count && rank(onFirstNode) < g { onFirstNode += 1 }
            return onFirstNode >= count ? (nvlink, count) : (network(sharedBy: onFirstNode), onFirstNode)
        }
        let data = groupLink(count: d * cp, rank: replicaRank)
        dataMembersPerNode = data.membersPerNode
        dataLink = data.link
        contextLink = groupLink(count: cp) { $0 * cpStride }.link
        let shard = layout.shardRanks, replicas = layout.shardReplicas
        shardLink = groupLink(count: shard, rank: replicaRank).link
        replicaLink = groupLink(count: replicas) { replicaRank($0 * shard) }.link
        pipelineStride = pipeStride
        gpusPerNode = g
        self.nvlink = nvlink
        pipelineNetwork = network(sharedBy: 1)
    }

    /// NVLink when both pipeline ranks sit on the same node, else the network.
    public func pipelineLink(from i: Int, to j: Int) -> Link {
        (i * pipelineStride) / gpusPerNode == (j * pipelineStride) / gpusPerNode ? nvlink : pipelineNetwork
    }
}

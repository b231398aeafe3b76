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
    public var dataLink: Link
    /// Members of one data-parallel group that share a node (they talk over NVLink).
    public var dataMembersPerNode: Int
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
        let dataStride = order == .tpDpPp ? t : t * p
        let pipeStride = order == .tpDpPp ? t * d : t
        dataMembersPerNode = dataStride >= g ? 1 : min(d, g / dataStride)
        dataLink = dataStride * d <= g ? nvlink : network(sharedBy: dataMembersPerNode)
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

import Testing
import ModelKit
import Hardware
@testable import ClusterSim

/// Tensor parallelism across nodes: its collectives cross the network, the node's g members sharing its NICs.
@Suite struct NetworkPlacementTests {
    let model = ModelArchitecture(layers: 8, hidden: 8192, heads: 64, ffnHidden: 32768, vocab: 32000, sequenceLength: 2048)

    @Test func tensorGroupsLargerThanANodeUseTheNetwork() throws {
        let a800 = CostModelTests.a800
        let p16 = Placement(layout: ParallelLayout(tensor: 16, pipeline: 1, data: 1), system: a800, order: .tpDpPp)
        #expect(p16.tensorLink.kind == .network)
        let perGPU = a800.nodeNetworkBytesPerSecond * a800.efficiency.networkBusFraction / 8
        #expect(abs(p16.tensorLink.bandwidth - min(perGPU * 8, p16.nvlink.bandwidth)) < 1)
        // Whole nodes only.
        #expect(throws: SimulationError.self) {
            try Simulator.simulate(model: model, layout: ParallelLayout(tensor: 12, pipeline: 1, data: 1), globalBatch: 4,
                                   system: a800, usableMemoryBytes: 1e15)
        }
    }

    /// Same work per GPU halves with tp 16, but the TP collectives move to a link ~9× slower than NVLink here:
    /// the iteration is slower than half of tp 8's.
    @Test func crossNodeTensorParallelismPaysForTheNetwork() throws {
        let a800 = CostModelTests.a800
        func time(_ t: Int) throws -> Double {
            try Simulator.simulate(model: model, layout: ParallelLayout(tensor: t, pipeline: 1, data: 1, sequenceParallel: true),
                                   globalBatch: 4, system: a800, usableMemoryBytes: 1e15).0.iterationTime
        }
        let t8 = try time(8), t16 = try time(16)
        #expect(t16 > t8 / 2 * 1.2, "tp 16 \(t16) s vs tp 8 \(t8) s")
    }
}

/// Every group counts, not only rank 0's: a group that sits on one node while others of its kind straddle two is
/// priced as crossing the network (the slowest ring sets the pace).
@Suite struct UnalignedGroupTests {
    @Test func unalignedDataGroupsCrossTheNetwork() {
        let a800 = CostModelTests.a800
        // tp-pp-dp, stride 6 on 8-GPU nodes: {0, 6} fits, {2, 8} does not.
        let p = Placement(layout: ParallelLayout(tensor: 2, pipeline: 3, data: 2), system: a800, order: .tpPpDp)
        #expect(p.dataLink.kind == .network && p.dataMembersPerNode == 1)
        // tp-dp-pp, tp 2 dp 3: {0, 2, 4} fits, the next pipeline rank's {6, 8, 10} does not.
        let q = Placement(layout: ParallelLayout(tensor: 2, pipeline: 2, data: 3), system: a800, order: .tpDpPp)
        #expect(q.dataLink.kind == .network)
        // cp 2 mixes strides 1 and 6 (tp-pp-dp, pp 3): {0, 1, 6, 7} fits, {2, 3, 8, 9} does not.
        var mixed = ParallelLayout(tensor: 1, pipeline: 3, data: 2)
        mixed.contextParallel = 2
        #expect(Placement(layout: mixed, system: a800, order: .tpPpDp).dataLink.kind == .network)
        let aligned = Placement(layout: ParallelLayout(tensor: 2, pipeline: 2, data: 2), system: a800, order: .tpPpDp)
        #expect(aligned.dataLink.kind == .nvlink && aligned.dataMembersPerNode == 2)
    }
}

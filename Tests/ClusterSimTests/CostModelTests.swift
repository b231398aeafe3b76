import Testing
import Foundation
import Hardware
import ModelKit
import TestSupport
@testable import ClusterSim

@Suite struct CostModelTests {
    static let root = Shipped.root
    static let systems = Shipped.systems
    static let a800 = systems.system(named: "dgx-a800")!
    static let flm101B = ModelArchitecture(layers: 80, hidden: 10240, heads: 80, ffnHidden: 40960, vocab: 100256,
                                           paddedVocab: 100352, sequenceLength: 2048, position: .xpos)

    /// Ring all-reduce of S bytes over n GPUs: 2(n−1)/n · S/B + 2(n−1)·α (nccl-tests PERFORMANCE.md).
    @Test func ringAllReduceFormula() {
        let link = Link(bandwidth: 100e9, latency: 20e-6, kind: .network)
        for n in [2, 4, 8, 96] {
            let S = 1e9
            let expected = 2 * Double(n - 1) / Double(n) * S / 100e9 + 2 * Double(n - 1) * 20e-6
            #expect(abs(AlphaBetaNetwork().time(.allReduce, bytes: S, ranks: n, link: link) - expected) < 1e-15)
        }
        #expect(AlphaBetaNetwork().time(.allReduce, bytes: 1e9, ranks: 1, link: link) == 0)
        // Reduce-scatter + all-gather move the same volume as one all-reduce.
        let ring = AlphaBetaNetwork()
        let rsag = ring.time(.reduceScatter, bytes: 1e9, ranks: 8, link: link) + ring.time(.allGather, bytes: 1e9, ranks: 8, link: link)
        #expect(abs(rsag - ring.time(.allReduce, bytes: 1e9, ranks: 8, link: link)) < 1e-15)
        // Tiny messages over many ranks: the tree is faster and NCCL's choice.
        #expect(AlphaBetaNetwork(allReduce: .fasterOfRingAndTree).time(.allReduce, bytes: 1e3, ranks: 512, link: link) < ring.time(.allReduce, bytes: 1e3, ranks: 512, link: link))
        #expect(FreeNetwork().time(.allReduce, bytes: 1e9, ranks: 8, link: link) == 0)
        let affine = ring.affine(.reduceScatter, ranks: 8, link: link)
        #expect(abs(affine.latency + 1e9 * affine.perByte - ring.time(.reduceScatter, bytes: 1e9, ranks: 8, link: link)) < 1e-12)
    }

    /// With free communication and GEMMs at peak, MFU → 1 as micro-batches → ∞ (the bubble vanishes).
    /// A tiny vocabulary keeps the last stage's logits negligible (< 0.1% of its work).
    @Test func mfuApproachesOneWithManyMicroBatches() throws {
        var m = ModelArchitecture(layers: 8, hidden: 1024, heads: 8, ffnHidden: 4096, vocab: 64, sequenceLength: 1024)
        m.position = .rope
        var options = SimulationOptions()
        options.ideal = true
        options.granularity = .chunk
        var previous = 0.0
        for micro in [4, 16, 64, 256, 1024] {
            let layout = ParallelLayout(tensor: 2, pipeline: 4, data: 1, microBatch: 1)
            let (r, _) = try Simulator.simulate(model: m, layout: layout, globalBatch: micro, system: Self.a800,
                                                usableMemoryBytes: 1e15, options: options)
            let bubble = 3.0 / Double(micro + 3)
            #expect(abs(r.mfu - (1 - bubble)) < 2e-3)
            #expect(r.mfu > previous)
            previous = r.mfu
        }
        #expect(previous > 0.995)
    }

    /// Per-layer tasks and fused per-chunk tasks schedule the same iteration (TP collectives are blocking).
    @Test func layerAndChunkGranularityAgree() throws {
        for layout in [ParallelLayout(tensor: 4, pipeline: 4, data: 12, sequenceParallel: true, distributedOptimizer: true, recompute: .selective),
                       ParallelLayout(tensor: 8, pipeline: 4, data: 6, virtualStages: 2, sequenceParallel: true,
                                      distributedOptimizer: true, recompute: .selective, schedule: .interleaved)] {
            var chunk = SimulationOptions(); chunk.granularity = .chunk
            let a = try IterationSimulator.run(CostModel.costs(model: Self.flm101B, layout: layout, globalBatch: 2160, system: Self.a800), granularity: .layer)
            let b = try IterationSimulator.run(CostModel.costs(model: Self.flm101B, layout: layout, globalBatch: 2160, system: Self.a800, options: chunk), granularity: .chunk)
            #expect(abs(a.iterationTime - b.iterationTime) / a.iterationTime < 1e-9)
            #expect(b.tasks < a.tasks / 10)
        }
    }

    @Test func layoutThatDoesNotFitIsAnError() {
        let layout = ParallelLayout(tensor: 1, pipeline: 1, data: 192)
        #expect(throws: SimulationError.self) {
            try Simulator.simulate(model: Self.flm101B, layout: layout, globalBatch: 2304, system: Self.a800,
                                   usableMemoryBytes: 78 * 1_073_741_824)
        }
    }

    /// The profiles stay physically honest: GEMMs never above the best isolated-GEMM fraction Calculon uses
    /// for A100 (0.95), bus bandwidths never above line rate.
    @Test func profilesArePhysicallyHonest() {
        for s in Self.systems.systems {
            #expect(s.efficiency.gemmScale * s.efficiency.gemm.maximum <= 0.95)
            #expect(s.efficiency.nvlinkBusFraction <= 1 && s.efficiency.networkBusFraction <= 1)
            #expect(s.efficiency.hbmFraction <= 1)
            let p = Placement(layout: ParallelLayout(tensor: 1, pipeline: 1, data: 64), system: s, order: .tpDpPp)
            #expect(p.dataLink.bandwidth <= s.nodeNetworkBytesPerSecond)
            #expect(p.nvlink.bandwidth <= s.nvlinkBytesPerSecond)
        }
    }

    @Test func placementPicksTheSlowestLinkCrossed() {
        // tp 8 fills the node: DP rings cross nodes with one member per node.
        let full = Placement(layout: ParallelLayout(tensor: 8, pipeline: 1, data: 4), system: Self.a800, order: .tpDpPp)
        #expect(full.tensorLink.kind == .nvlink && full.dataLink.kind == .network && full.dataMembersPerNode == 1)
        // tp 2 × dp 4 inside one node: the DP ring stays on NVLink.
        let inside = Placement(layout: ParallelLayout(tensor: 2, pipeline: 1, data: 4), system: Self.a800, order: .tpDpPp)
        #expect(inside.dataLink.kind == .nvlink)
        // tp-pp-dp with tp 4: pipeline ranks 0 and 1 share a node, 1 and 2 do not.
        let pp = Placement(layout: ParallelLayout(tensor: 4, pipeline: 4, data: 12), system: Self.a800, order: .tpPpDp)
        #expect(pp.pipelineLink(from: 0, to: 1).kind == .nvlink)
        #expect(pp.pipelineLink(from: 1, to: 2).kind == .network)
    }

    @Test func simulationIsDeterministic() throws {
        let layout = ParallelLayout(tensor: 4, pipeline: 4, data: 12, sequenceParallel: true, distributedOptimizer: true, recompute: .selective)
        let a = try Simulator.simulate(model: Self.flm101B, layout: layout, globalBatch: 2160, system: Self.a800, usableMemoryBytes: 1e12).0
        let b = try Simulator.simulate(model: Self.flm101B, layout: layout, globalBatch: 2160, system: Self.a800, usableMemoryBytes: 1e12).0
        #expect(a == b)
    }
}

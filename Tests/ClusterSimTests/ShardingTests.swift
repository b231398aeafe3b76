import Testing
import ModelKit
import Hardware
@testable import ClusterSim

/// ZeRO / FSDP and HSDP (Rajbhandari et al. 2020; PyTorch FSDP): memory per stage from first principles, and the
/// per-layer all-gather / reduce-scatter of weights and gradients in the iteration graph.
@Suite struct ShardingTests {
    let model = ModelArchitecture(layers: 8, hidden: 4096, heads: 32, ffnHidden: 16384, vocab: 32000, sequenceLength: 2048)
    let h100 = CostModelTests.systems.system(named: "dgx-h100")!

    func layout(zero: Int, group: Int? = nil, data: Int = 64) -> ParallelLayout {
        var l = ParallelLayout(tensor: 1, pipeline: 1, data: data, microBatch: 1)
        l.zeroStage = zero
        l.shardGroup = group
        l.attention = .flash
        return l
    }

    /// ZeRO stage k divides optimizer state (≥ 1), gradients (≥ 2) and weights (3) by the shard group; stage 3 adds
    /// two layers' full weights and gradients (the gathered layer and the prefetched one) and the root unit (embedding,
    /// head), which stays gathered.
    @Test func memoryPerStageFollowsZeRO() {
        let a = MemoryAssumptions()
        let n = 64.0
        let stages = (0...3).map { MemoryEstimate(model: model, layout: layout(zero: $0), globalBatch: 64).stages[0] }
        let params = stages[0].parameters
        let perLayer = ParameterShards(model, tensorParallel: 1).perLayer
        #expect(abs(stages[0].optimizer - params * a.optimizerBytes) < 1)
        #expect(abs(stages[1].optimizer - params * a.optimizerBytes / n) < 1)
        #expect(abs(stages[1].gradients - params * a.gradientBytes) < 1)
        #expect(abs(stages[2].gradients - params * a.gradientBytes / n) < 1)
        #expect(abs(stages[2].weights - params * a.weightBytes) < 1)
        let outside = ParameterShards(model, tensorParallel: 1).outsideLayers(first: true, last: true, pipeline: 1)
        #expect(abs(stages[3].weights - (params / n + 2 * perLayer + outside) * a.weightBytes) < 1)
        #expect(abs(stages[3].gradients - (params / n + 2 * perLayer + outside) * a.gradientBytes) < 1)
        // Activations do not depend on sharding.
        #expect(Set(stages.map(\.activations)).count == 1)
        // HSDP: a shard group of 8 replicated 8 times holds 8× the sharded state of one group of 64.
        let hsdp = MemoryEstimate(model: model, layout: layout(zero: 3, group: 8), globalBatch: 64).stages[0]
        #expect(abs(hsdp.optimizer - params * a.optimizerBytes / 8) < 1)
    }

    /// With free communication FSDP costs nothing beyond ZeRO-1; with a slow network the step is bound by the traffic FSDP must
    /// move: per layer an all-gather forward and backward (bf16) and a reduce-scatter (fp32), (n − 1)/n of each.
    @Test func fsdpTimeIsBoundedByComputeAndTraffic() throws {
        func simulate(_ l: ParallelLayout, _ system: SystemProfile, free: Bool = false) throws -> Double {
            var o = SimulationOptions()
            o.freeDataComm = free
            return try Simulator.simulate(model: model, layout: l, globalBatch: 64, system: system, usableMemoryBytes: 1e15,
                                          options: o).0.iterationTime
        }
        // Against ZeRO-1 (the optimizer step on the same shard), free traffic makes sharded weights cost nothing.
        let zero1 = try simulate(layout(zero: 1), h100, free: true)
        let fsdpFree = try simulate(layout(zero: 3), h100, free: true)
        #expect(abs(fsdpFree - zero1) / zero1 < 1e-9)

        var slow = h100
        slow.nicGbitPerSecond = 1      // 8 Gb/s per node: every collective is network-bound
        let fsdpSlow = try simulate(layout(zero: 3), slow)
        let perLayer = ParameterShards(model, tensorParallel: 1).perLayer
        let link = Placement(layout: layout(zero: 3), system: slow, order: .tpDpPp).shardLink
        let n = 64.0
        let traffic = Double(model.layers) * (n - 1) / n * perLayer * (2 + 2 + 4) / link.bandwidth
        #expect(fsdpSlow > traffic, "FSDP step \(fsdpSlow) s must exceed its layers' traffic \(traffic) s")
        #expect(fsdpSlow < traffic * 1.3 + fsdpFree, "prefetch overlaps traffic with compute: \(fsdpSlow) vs \(traffic) + \(fsdpFree)")
        // The what-ifs run the same graph: with tp 1 and pp 1 nothing is exposed but data-parallel traffic.
        let b = try Simulator.simulate(model: model, layout: layout(zero: 3), globalBatch: 64, system: slow, usableMemoryBytes: 1e15).0.breakdown
        #expect(b.exposedTensorComm == 0 && b.exposedPipelineComm == 0 && b.exposedDataComm > 0)
    }

    /// HSDP moves full-shard traffic inside a node (NVLink) and only the 1/8 shard's all-reduce across nodes,
    /// so with a slow network it beats one shard group spanning every node.
    @Test func hsdpKeepsTheBulkOnNVLink() throws {
        var slow = h100
        slow.nicGbitPerSecond = 25
        func time(_ l: ParallelLayout) throws -> Double {
            try Simulator.simulate(model: model, layout: l, globalBatch: 64, system: slow, usableMemoryBytes: 1e15).0.iterationTime
        }
        let placement = Placement(layout: layout(zero: 3, group: 8), system: slow, order: .tpDpPp)
        #expect(placement.shardLink.kind == .nvlink && placement.replicaLink.kind == .network)
        #expect(try time(layout(zero: 3, group: 8)) < time(layout(zero: 3)))
    }

    /// The plan search's fused per-pass tasks (`ChunkCost.shardedForward/Backward`) against the per-layer graph, over
    /// several micro-batches, on a fast and a slow network.
    @Test func fusedPassesMatchTheLayerGraph() throws {
        var slow = h100
        slow.nicGbitPerSecond = 50
        for system in [h100, slow] {
            func time(_ g: SimulationOptions.Granularity) throws -> Double {
                var o = SimulationOptions()
                o.granularity = g
                return try Simulator.simulate(model: model, layout: layout(zero: 3), globalBatch: 256, system: system,
                                              usableMemoryBytes: 1e15, options: o).0.iterationTime
            }
            let layer = try time(.layer), chunk = try time(.chunk)
            // 8 layers: the pass boundaries the fused tasks do not overlap weigh ~1/8; 5 % bounds it (80 layers: < 1 %).
            #expect(abs(chunk - layer) / layer < 0.05, "chunk \(chunk) vs layer \(layer)")
        }
    }

    /// Reducing gradients in bf16 (fms-fsdp's reduce_dtype) halves the reduce-scatter's bytes: on a network-bound
    /// step the backward's stream traffic per layer goes from 2 + 4 to 2 + 2 bytes per parameter.
    @Test func bf16GradientReduceHalvesTheReduceScatter() {
        var slow = h100
        slow.nicGbitPerSecond = 1
        var bf16 = layout(zero: 3)
        bf16.gradientReduce = .bf16
        let fp32 = CostModel.costs(model: model, layout: layout(zero: 3), globalBatch: 64, system: slow).chunks[0][0]
        let half = CostModel.costs(model: model, layout: bf16, globalBatch: 64, system: slow).chunks[0][0]
        #expect(abs(half.layerGradientReduce / fp32.layerGradientReduce - 0.5) < 0.01)
        #expect(half.layerGather == fp32.layerGather)
    }

    @Test func badShardingIsAProblemByField() {
        var l = layout(zero: 3, group: 48)
        #expect(l.problems(for: model, globalBatch: 64).map(\.field) == ["shard_group"])
        l = layout(zero: 0, group: 8)
        #expect(l.problems(for: model, globalBatch: 64).first?.expected.contains("ZeRO stage") == true)
        l = layout(zero: 5)
        #expect(l.problems(for: model, globalBatch: 64).map(\.field) == ["zero_stage"])
        l = layout(zero: 1)
        l.distributedOptimizer = true
        #expect(l.problems(for: model, globalBatch: 64).map(\.field) == ["zero_stage"])
    }
}

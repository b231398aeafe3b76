import Testing
import Foundation
import ClusterSim
import Hardware
import ModelKit
import Scenario
import TestSupport
@testable import ScenarioSim

/// The plan search's branch and bound returns the same top layouts and the same rank for the scenario's own layout
/// as simulating every feasible layout, on H100 nodes where CP, fused attention and FSDP are all candidates.
@Suite struct PlanSearchTests {
    static let gpus = Shipped.gpus
    static let systems = Shipped.systems

    func scenario(_ parallel: String) throws -> Scenario {
        try ScenarioLoader.parse(text: """
        name: plan
        cluster: {gpu: H100-SXM5-80GB, nodes: 2, gpus_per_node: 8, price_per_gpu_hour_usd: 2}
        stages:
          - name: s
            model: {layers: 8, hidden: 4096, heads: 32, kv_heads: 8, ffn_hidden: 14336, vocab: 32000, seq_length: 8192,
                    activation: swiglu, norm: rmsnorm, position: rope, tied_embeddings: false, linear_biases: false, dropout: false}
            tokens: 1B
            batch_sequences: 64
            parallel: \(parallel)
        """, path: "plan.yaml", catalog: Self.gpus)
    }

    @Test(arguments: [
        ("{tp: 2, pp: 2, dp: 4, micro_batch: 1, sequence_parallel: true, distributed_optimizer: true}", true),
        // Not among the candidates (a shard group): the search prunes on the k-th best alone.
        ("{tp: 1, pp: 1, dp: 16, zero_stage: 3, shard_group: 8, attention: flash}", false),
    ])
    func branchAndBoundIsExact(parallel: String, isCandidate: Bool) throws {
        let s = try scenario(parallel)
        let system = Self.systems.system(named: "dgx-h100")!
        let fast = PlanSearch.search(s.stages[0], scenario: s, system: system, top: 5)
        let full = PlanSearch.search(s.stages[0], scenario: s, system: system, top: 5, prune: false)
        #expect(fast.pruned > 0 && full.pruned == 0)
        #expect(fast.top.map(\.layout) == full.top.map(\.layout))
        #expect(fast.top.map(\.iterationTime) == full.top.map(\.iterationTime))
        #expect(fast.scenarioRank == full.scenarioRank)
        #expect((full.scenarioRank != nil) == isCandidate, "the scenario's layout is \(isCandidate ? "" : "not ")a candidate")
        #expect(fast.simulated + fast.pruned == full.simulated)
        // The new dimensions are searched.
        #expect(full.top.contains { $0.layout.attention.fused })
        let all = PlanSearch.candidates(model: s.stages[0].model, gpus: 16, globalBatch: 64, gpusPerNode: 8, fused: .cudnn)
        #expect(all.contains { $0.contextParallel > 1 } && all.contains { $0.zeroStage == 3 } && all.contains { $0.attention == .standard })
    }
}

import Testing
import ModelKit
import Hardware
@testable import ClusterSim

/// Uneven pipeline stages (BLOOM, GLM-130B; Megatron's first/last-stage layer counts): the 1F1B iteration follows the
/// heaviest stage, (m + p − 1) of its steps (Narayanan et al. 2021 §2.2), and memory follows its layers.
@Suite struct UnevenPipelineTests {
    let model = ModelArchitecture(layers: 16, hidden: 4096, heads: 32, ffnHidden: 16384, vocab: 32000, sequenceLength: 2048)

    func iteration(_ stages: [Int]?) throws -> (time: Double, peakStage: Int, peakLayers: Int) {
        var layout = ParallelLayout(tensor: 8, pipeline: 4, data: 1, microBatch: 1)
        layout.stageLayers = stages
        #expect(layout.problems(for: model, globalBatch: 32).isEmpty)
        let (r, _) = try Simulator.simulate(model: model, layout: layout, globalBatch: 32, system: CostModelTests.a800,
                                            usableMemoryBytes: 1e15)
        return (r.iterationTime, r.memory.peak.stage, r.memory.peak.layers)
    }

    @Test func theHeaviestStageSetsTheIteration() throws {
        let even = try iteration(nil)
        let uneven = try iteration([2, 6, 6, 2])
        // 6 layers instead of 4 on the critical stage: the layer work grows 1.5×; the embedding and logits (on the
        // light first and last ranks) and the pipeline sends keep the ratio a little below that.
        let ratio = uneven.time / even.time
        #expect(ratio > 1.3 && ratio < 1.5, "ratio \(ratio)")
        #expect(uneven.peakLayers == 6 && (uneven.peakStage == 1 || uneven.peakStage == 2))
    }

    @Test func megatronFirstAndLastCountsResolve() throws {
        #expect(try ParallelLayout.stageLayers(layers: 16, pipeline: 4, first: 2, last: 2).get() == [2, 6, 6, 2])
        #expect(try ParallelLayout.stageLayers(layers: 16, pipeline: 4, first: nil, last: 1).get() == [5, 5, 5, 1])
        #expect(throws: FieldProblem.self) { try ParallelLayout.stageLayers(layers: 16, pipeline: 4, first: 3, last: 2).get() }
    }

    @Test func badSplitsAreProblemsByField() {
        var layout = ParallelLayout(tensor: 8, pipeline: 4, data: 1)
        layout.stageLayers = [4, 4, 4]
        #expect(layout.problems(for: model, globalBatch: 32).map(\.field) == ["stage_layers"])
        layout.stageLayers = [4, 4, 4, 5]
        #expect(layout.problems(for: model, globalBatch: 32).first?.expected.contains("add up to the model's 16 layers") == true)
        layout.stageLayers = [8, 0, 4, 4]
        #expect(layout.problems(for: model, globalBatch: 32).map(\.field) == ["stage_layers"])
    }
}

import Testing
@testable import ModelKit

@Suite struct MemoryEstimateTests {
    private func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }
    private let m = Shapes.gpt3
    private var sbh: Double { 2048.0 * 1 * 12288 }
    private var fiveAsOverH: Double { 5.0 * 96 * 2048 / 12288 }   // = 80 for GPT-3

    /// Korthikanti et al. 2022 §4: per-layer activation bytes for each parallel/recompute setting.
    @Test(arguments: [1, 8])
    func perLayerActivationsMatchKorthikanti(t: Int) {
        let a = MemoryAssumptions()
        let tensor = ParallelLayout(tensor: t, pipeline: 1, data: 1)
        let sp = ParallelLayout(tensor: t, pipeline: 1, data: 1, sequenceParallel: true)
        let spSelective = ParallelLayout(tensor: t, pipeline: 1, data: 1, sequenceParallel: true, recompute: .selective)
        let full = ParallelLayout(tensor: t, pipeline: 1, data: 1, recompute: .full)
        let td = Double(t)
        #expect(relative(ActivationMemory.perLayer(m, layout: tensor, assumptions: a).stored,
                         sbh * (10 + 24 / td + fiveAsOverH / td)) < 1e-12)
        #expect(relative(ActivationMemory.perLayer(m, layout: sp, assumptions: a).stored,
                         sbh / td * (34 + fiveAsOverH)) < 1e-12)
        #expect(relative(ActivationMemory.perLayer(m, layout: spSelective, assumptions: a).stored,
                         34 * sbh / td) < 1e-12)
        #expect(ActivationMemory.perLayer(m, layout: full, assumptions: a).stored == 2 * sbh)
    }

    /// Megatron distributed optimizer, bf16 params + fp32 main grads: 6 + 12/d bytes per parameter
    /// (Megatron Core "Distributed Optimizer" documentation).
    @Test func distributedOptimizerBytesPerParameter() {
        let layout = ParallelLayout(tensor: 1, pipeline: 1, data: 8, distributedOptimizer: true)
        let stage = MemoryEstimate(model: m, layout: layout, globalBatch: 8).stages[0]
        #expect(relative((stage.weights + stage.gradients + stage.optimizer) / stage.parameters, 6 + 12.0 / 8) < 1e-12)
    }

    /// The first 1F1B stage holds p micro-batches of its l/p layers: all l layers' activations
    /// (Korthikanti Eq. 5); the last stage holds one.
    @Test func oneFOneBFirstStageHoldsAllLayersActivations() {
        let layout = ParallelLayout(tensor: 8, pipeline: 8, data: 1, sequenceParallel: true, recompute: .selective)
        let est = MemoryEstimate(model: m, layout: layout, globalBatch: 64)
        #expect(relative(est.stages[0].activations, 34 * sbh / 8 * 96) < 1e-12)
        #expect(relative(est.stages[7].activations, 34 * sbh / 8 * 12) < 1e-12)
        let interleaved = ParallelLayout(tensor: 8, pipeline: 8, data: 1, virtualStages: 3, sequenceParallel: true,
                                         recompute: .selective, schedule: .interleaved)
        let iest = MemoryEstimate(model: m, layout: interleaved, globalBatch: 64)
        #expect(relative(iest.stages[0].activations, 34 * sbh / 8 * 96 * (1 + 7.0 / 24)) < 1e-12)
    }

    @Test func tiedEmbeddingsAreCopiedToTheLastStageOnlyWithPipelining() {
        let one = MemoryEstimate(model: m, layout: ParallelLayout(tensor: 1, pipeline: 1, data: 1), globalBatch: 1)
        #expect(one.stages[0].parameters == Double(ParameterCount(m).total))
        let two = MemoryEstimate(model: m, layout: ParallelLayout(tensor: 1, pipeline: 2, data: 1), globalBatch: 2)
        let sum = two.stages.map(\.parameters).reduce(0, +)
        #expect(sum == Double(ParameterCount(m).total + m.paddedVocab * m.hidden))
    }

    @Test func layoutProblemsNameTheField() {
        let bad = ParallelLayout(tensor: 3, pipeline: 5, data: 7, microBatch: 2)
        let fields = bad.problems(for: m, globalBatch: 100).map(\.field)
        #expect(fields.contains("tp"))          // 3 divides 96 heads but not the vocabulary 50257
        #expect(fields.contains("pp"))          // 5 does not divide 96 layers
        #expect(fields.contains("micro_batch")) // 2 × 7 does not divide 100
        #expect(ParallelLayout(tensor: 8, pipeline: 8, data: 2).problems(for: Shapes.flm101B, globalBatch: 64).isEmpty)
        let headsBad = ParallelLayout(tensor: 32, pipeline: 1, data: 1).problems(for: Shapes.flm101B, globalBatch: 1)
        #expect(headsBad.contains { $0.field == "tp" && $0.expected.contains("heads") })
    }
}

import ModelKit
import Scenario
import PaperReference

/// Builds the `inspect` report: per-stage parameters, FLOPs, memory, and deltas to published figures.
public enum Inspector {
    public static func inspect(_ scenario: Scenario, references: ReferenceTable) -> InspectReport {
        var previous: ModelArchitecture?
        var stages: [StageInspection] = []
        for stage in scenario.stages {
            stages.append(inspect(stage, cluster: scenario.cluster, previous: previous,
                                  paper: scenario.reference, references: references))
            previous = stage.model
        }
        let total = stages.map(\.trainingFlops).reduce(.zero, +)
        var totals: [Comparison] = []
        if let paper = scenario.reference,
           let cost = references.figure(paper: paper, stage: "total", quantity: "cost_zettaflops") {
            totals.append(compare(cost, model: total.sixND / 1e21, method: "Σ 6·N·D over stages"))
            totals.append(compare(cost, model: total.costIndexMidpoint / 1e21,
                                  method: "Σ Megatron midpoint (72/96 coefficients), FLM-101B §4 method"))
        }
        return InspectReport(scenario: scenario.name, path: scenario.path, gpu: scenario.cluster.gpu.name,
                             nodes: scenario.cluster.nodes, gpusPerNode: scenario.cluster.gpusPerNode,
                             stages: stages, totalTokens: scenario.totalTokens, totalFlops: total,
                             totalComparisons: totals, assumptions: scenario.assumptions)
    }

    static func inspect(_ stage: Stage, cluster: Cluster, previous: ModelArchitecture?, paper: String?,
                        references: ReferenceTable) -> StageInspection {
        let m = stage.model
        let counts = ParameterCount(m)
        let perToken = TrainingFlopsPerToken(m, layout: stage.layout)
        let index = FlopFormulas.costIndex(m, tokens: stage.tokens)
        let flops = TrainingFlops(
            sixND: FlopFormulas.sixND(parameters: counts.total, tokens: stage.tokens),
            exactModel: perToken.model * stage.tokens,
            exactHardware: perToken.hardware * stage.tokens,
            megatron72: index.low, megatron96: index.high,
            costIndexMidpoint: index.midpoint, costIndexHalfWidth: index.halfWidth)
        let memory = MemoryEstimate(model: m, layout: stage.layout, globalBatch: stage.globalBatch)
        let peak = memory.peak

        var comparisons: [Comparison] = []
        if let paper {
            if let f = references.figure(paper: paper, stage: stage.referenceStage, quantity: "params") {
                comparisons.append(compare(f, model: Double(counts.total), method: "exact parameter count"))
            }
            if let f = references.figure(paper: paper, stage: stage.referenceStage, quantity: "tokens") {
                comparisons.append(compare(f, model: stage.tokens, method: "scenario input"))
            }
        }

        return StageInspection(
            name: stage.name, model: m, layout: stage.layout, tokens: stage.tokens,
            globalBatchSequences: stage.globalBatch, batchTokens: stage.batchTokens, steps: stage.steps,
            microBatchesPerPipeline: stage.microBatches,
            growthFromPrevious: previous.map { growth(from: $0, to: m) } ?? [],
            parameters: ParameterSummary(total: counts.total, nonEmbedding: counts.nonEmbedding,
                                         embeddings: counts.embeddings, perLayer: counts.perLayer,
                                         perLayerAttention: counts.attention, perLayerFFN: counts.ffn,
                                         perLayerNorms: counts.norms),
            flopsPerToken: FlopsPerToken(forward: perToken.forward, forwardTotal: perToken.forward.total,
                                         trainingModel: perToken.model, trainingHardware: perToken.hardware,
                                         sixN: 6 * Double(counts.total)),
            trainingFlops: flops,
            memory: MemorySummary(stages: memory.stages, peakStage: peak.stage, peakBytes: peak.total,
                                  capacityBytes: cluster.gpu.memoryBytes, usableBytes: cluster.usableMemoryBytes,
                                  fits: memory.overflow(usableBytes: cluster.usableMemoryBytes) == nil, assumptions: memory.assumptions),
            comparisons: comparisons, assumptions: stage.assumptions)
    }

    static func compare(_ f: ReferenceFigure, model: Double, method: String) -> Comparison {
        Comparison(f, model: model, method: method)
    }

    /// The dimensions that differ between two shapes, in growth-operator terms.
    static func growth(from a: ModelArchitecture, to b: ModelArchitecture) -> [String] {
        var out: [String] = []
        func dim(_ name: String, _ x: Int, _ y: Int) { if x != y { out.append("\(name) \(x) → \(y)") } }
        dim("layers", a.layers, b.layers)
        dim("hidden", a.hidden, b.hidden)
        dim("heads", a.heads, b.heads)
        dim("head_dim", a.headDim, b.headDim)
        dim("ffn_hidden", a.ffnHidden, b.ffnHidden)
        dim("vocab", a.vocab, b.vocab)
        dim("seq_length", a.sequenceLength, b.sequenceLength)
        if a.activation != b.activation || a.norm != b.norm || a.position != b.position
            || a.tiedEmbeddings != b.tiedEmbeddings || a.linearBiases != b.linearBiases {
            out.append("block design changed (not a function-preserving growth)")
        }
        return out
    }
}

import ModelKit
import PaperReference

/// Training FLOPs of a stage (or a whole run), every method side by side.
public struct TrainingFlops: Codable, Sendable, Equatable {
    /// 6 · N · D.
    public var sixND: Double
    /// Per-op count, forward + backward, no recompute (MFU basis).
    public var exactModel: Double
    /// Per-op count including the layout's recompute (HFU basis).
    public var exactHardware: Double
    /// Narayanan Eq. 3 with coefficient 72 / 96, and FLM-101B's midpoint ± half-width.
    public var megatron72: Double
    public var megatron96: Double
    public var costIndexMidpoint: Double
    public var costIndexHalfWidth: Double

    static let zero = TrainingFlops(sixND: 0, exactModel: 0, exactHardware: 0, megatron72: 0, megatron96: 0,
                                    costIndexMidpoint: 0, costIndexHalfWidth: 0)
    static func + (a: TrainingFlops, b: TrainingFlops) -> TrainingFlops {
        TrainingFlops(sixND: a.sixND + b.sixND, exactModel: a.exactModel + b.exactModel,
                      exactHardware: a.exactHardware + b.exactHardware, megatron72: a.megatron72 + b.megatron72,
                      megatron96: a.megatron96 + b.megatron96,
                      costIndexMidpoint: a.costIndexMidpoint + b.costIndexMidpoint,
                      costIndexHalfWidth: a.costIndexHalfWidth + b.costIndexHalfWidth)
    }
}

public struct ParameterSummary: Codable, Sendable, Equatable {
    public var total: Int
    public var nonEmbedding: Int
    public var embeddings: Int
    public var perLayer: Int
    public var perLayerAttention: Int
    public var perLayerFFN: Int
    public var perLayerNorms: Int
}

public struct FlopsPerToken: Codable, Sendable, Equatable {
    public var forward: ForwardFlopsPerToken
    public var forwardTotal: Double
    public var trainingModel: Double
    public var trainingHardware: Double
    public var sixN: Double
}

public struct MemorySummary: Codable, Sendable, Equatable {
    public var stages: [StageMemory]
    public var peakStage: Int
    public var peakBytes: Double
    public var capacityBytes: Double
    public var usableBytes: Double
    public var fits: Bool
    public var assumptions: [String]
}

public struct StageInspection: Codable, Sendable, Equatable {
    public var name: String
    public var model: ModelArchitecture
    public var layout: ParallelLayout
    public var tokens: Double
    public var globalBatchSequences: Int
    public var batchTokens: Double
    public var steps: Int
    public var microBatchesPerPipeline: Int
    /// Dimensions that changed from the previous stage ("hidden 5632 → 10240").
    public var growthFromPrevious: [String]
    public var parameters: ParameterSummary
    public var flopsPerToken: FlopsPerToken
    public var trainingFlops: TrainingFlops
    public var memory: MemorySummary
    public var comparisons: [Comparison]
    public var assumptions: [String]
}

public struct InspectReport: Codable, Sendable, Equatable {
    public var scenario: String
    public var path: String
    public var gpu: String
    public var nodes: Int
    public var gpusPerNode: Int
    public var stages: [StageInspection]
    public var totalTokens: Double
    public var totalFlops: TrainingFlops
    public var totalComparisons: [Comparison]
    public var assumptions: [String]
}

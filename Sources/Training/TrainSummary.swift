import ModelKit

/// How a run ended.
public enum TrainStatus: String, Codable, Sendable { case completed, diverged }

/// The result of `growthbench train` (printed with --json, stored as the run's result).
public struct TrainSummary: Codable, Sendable {
    public var name: String
    public var status: TrainStatus
    public var message: String?
    public var model: ModelArchitecture
    public var parameters: Int
    public var nonEmbeddingParameters: Int
    public var steps: Int
    public var tokens: Double
    public var threads: Int
    public var finalTrainLoss: Double?
    public var evaluation: EvaluationResult?
    /// Order-0 baseline from training byte frequencies, BPB on each domain's evaluated validation bytes.
    public var unigramBitsPerByte: [DomainBaseline]
    public var unigramWeighted: [WeightedScore]
    /// Training throughput of this process (steps only; evaluation and checkpoints excluded).
    public var tokensPerSecond: Double
    /// Achieved rate on ModelKit's per-op training FLOPs (full s×s attention counted).
    public var gflopsPerSecond: Double
    /// Fraction of the counted attention-core FLOPs actually executed (block-causal skipping).
    public var attentionExecutedFraction: Double
    /// Fraction of all counted FLOPs actually executed.
    public var executedFlopFraction: Double
    public var wallSeconds: Double
    public var trainSeconds: Double
    public var resumedFromStep: Int?
    public var checkpoint: String?
    public var runId: Int64?
    public var curve: [TrainingHistory.StepPoint]
    public var evaluations: [TrainingHistory.EvalPoint]
}

public struct DomainBaseline: Codable, Sendable, Equatable {
    public var domain: String
    public var bitsPerByte: Double
}

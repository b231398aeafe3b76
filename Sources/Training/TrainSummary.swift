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
    /// Counted training FLOPs of every completed step (ModelKit's per-op model at each step's shape).
    public var countedFlops: Double? = nil
    /// The FLOPs the kernels executed (block-causal attention skips part of the counted s×s square).
    public var executedFlops: Double? = nil
    /// Growth schedules: per stage, its shape, steps, tokens, FLOPs and measured seconds.
    public var stages: [StageSummary]? = nil
}

/// One stage of a growth schedule as run.
public struct StageSummary: Codable, Sendable, Equatable {
    public var name: String
    public var model: ModelArchitecture
    public var parameters: Int
    public var firstStep: Int
    public var steps: Int
    public var tokens: Double
    public var countedFlops: Double
    public var executedFlops: Double
    /// Sum of the measured step times (forward, backward, update) of the stage's completed steps.
    public var seconds: Double
    /// The growth operators that enter the stage, in order, and their ramp length.
    public var growth: [String]
    public var rampSteps: Int?

    static func all(plan: TrainingPlan, history: TrainingHistory, completedSteps: Int) -> [StageSummary] {
        plan.stages.enumerated().map { k, stage in
            let first = plan.stageStarts[k], last = min(first + stage.steps - 1, completedSteps)
            let done = max(0, last - first + 1)
            let seconds = history.steps.filter { $0.step >= first && $0.step <= last }.map(\.seconds).reduce(0, +)
            return StageSummary(name: stage.name, model: stage.model, parameters: ParameterCount(stage.model).total,
                                firstStep: first, steps: done,
                                tokens: plan.tokens(throughStep: last) - plan.tokens(throughStep: first - 1),
                                countedFlops: plan.flops(after: first - 1, through: last),
                                executedFlops: plan.flops(after: first - 1, through: last, executed: true), seconds: seconds,
                                growth: stage.growth?.order.map(\.rawValue) ?? [], rampSteps: stage.growth?.rampSteps)
        }
    }
}

public struct DomainBaseline: Codable, Sendable, Equatable {
    public var domain: String
    public var bitsPerByte: Double
}

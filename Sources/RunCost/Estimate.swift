import ModelKit

/// Where a stage's wall time goes, seconds.
public struct TimeShares: Sendable, Equatable, Codable {
    public var compute: Double
    /// Blocking TP collectives, and the gradient sync / optimizer tail after the last backward.
    public var communication: Double
    /// Pipeline bubble and waits.
    public var bubble: Double
    public var failures: Double
    public var checkpoints: Double
    public var transition: Double

    public static let zero = TimeShares(compute: 0, communication: 0, bubble: 0, failures: 0, checkpoints: 0, transition: 0)
    public var total: Double { compute + communication + bubble + failures + checkpoints + transition }
    public static func + (a: TimeShares, b: TimeShares) -> TimeShares {
        TimeShares(compute: a.compute + b.compute, communication: a.communication + b.communication, bubble: a.bubble + b.bubble,
                   failures: a.failures + b.failures, checkpoints: a.checkpoints + b.checkpoints, transition: a.transition + b.transition)
    }
}

/// Money, energy and carbon of some GPU time.
public struct Spend: Sendable, Equatable, Codable {
    public var gpuHours: Double
    public var usd: Double
    public var energyMWh: Double
    public var tCO2e: Double
    public static let zero = Spend(gpuHours: 0, usd: 0, energyMWh: 0, tCO2e: 0)
    public static func + (a: Spend, b: Spend) -> Spend {
        Spend(gpuHours: a.gpuHours + b.gpuHours, usd: a.usd + b.usd, energyMWh: a.energyMWh + b.energyMWh, tCO2e: a.tCO2e + b.tCO2e)
    }
}

public struct StageEstimate: Sendable, Equatable, Codable {
    public var stage: String
    public var parameters: Int
    public var tokens: Double
    public var steps: Int
    public var iterationSeconds: Double
    public var tokensPerSecond: Double
    public var hardwareTFLOPsPerGPU: Double
    public var mfu: Double
    /// Steps × iteration time.
    public var computeSeconds: Double
    public var checkpointWriteSeconds: Double
    public var checkpointIntervalSeconds: Double
    public var reliability: Reliability.Outcome
    /// Growth transition before this stage (checkpoint conversion and restart); 0 for the first stage.
    public var transitionSeconds: Double
    public var wallSeconds: Double
    public var days: Double { wallSeconds / 86400 }
    public var shares: TimeShares
    public var spend: Spend
    public var flops: FlopSummary
    /// Paper's stage duration, when the reference table has one.
    public var paperDays: Double?
}

/// Training FLOPs of a stage or run by each method (FLM-101B's cost index is the Megatron midpoint).
public struct FlopSummary: Sendable, Equatable, Codable {
    public var sixND: Double
    public var model: Double
    public var hardware: Double
    public var costIndex: CostIndex
    public static let zero = FlopSummary(sixND: 0, model: 0, hardware: 0, costIndex: CostIndex(low: 0, high: 0))
    public static func + (a: FlopSummary, b: FlopSummary) -> FlopSummary {
        FlopSummary(sixND: a.sixND + b.sixND, model: a.model + b.model, hardware: a.hardware + b.hardware,
                    costIndex: a.costIndex + b.costIndex)
    }
}

public struct RunEstimate: Sendable, Equatable, Codable {
    public var scenario: String
    public var path: String
    public var system: String
    public var gpus: Int
    public var pricePerGPUHour: Double
    public var failures: Bool
    public var stages: [StageEstimate]
    public var tokens: Double
    public var wallSeconds: Double
    public var days: Double { wallSeconds / 86400 }
    public var shares: TimeShares
    public var spend: Spend
    public var flops: FlopSummary
    public var paperDays: Double?
    public var paperCostZettaFLOPs: Double?
    public var paperUSD: Double?
    /// The settings behind every figure, and where each default comes from.
    public var assumptions: [String]
}

import CurveFit
import Foundation

/// Predicted vs measured time of one run's stage (a step-time shape is a one-stage run).
public struct TimeRow: Codable, Sendable, Equatable {
    public var run: String
    public var stage: String
    /// "layers×hidden/ffn".
    public var shape: String
    public var steps: Int
    public var runId: Int64
    public var predictedStepSeconds: Double
    /// Fastest step of the stage, its first step excluded (warm-up, growth): the machine undisturbed, the same
    /// statistic `calibrate` takes of its kernels (the fastest of repeated calls). This machine is a shared VM
    /// whose neighbours slow single steps by up to 50%; the median shows how much.
    public var measuredStepSeconds: Double
    public var medianStepSeconds: Double
    public var predictedSeconds: Double
    /// Sum of the stage's measured step seconds.
    public var measuredSeconds: Double
    public var stepError: Double { predictedStepSeconds / measuredStepSeconds - 1 }
    public var medianStepError: Double { predictedStepSeconds / medianStepSeconds - 1 }
    public var totalError: Double { predictedSeconds / measuredSeconds - 1 }
}

/// Growth vs scratch: time saving and speedup at equal tokens, predicted and measured.
public struct SavingRow: Codable, Sendable, Equatable {
    public var growthRunId: Int64
    public var scratchRunId: Int64
    public var predictedGrowthSeconds: Double, predictedScratchSeconds: Double
    public var measuredGrowthSeconds: Double, measuredScratchSeconds: Double
    public var predictedSaving: Double { 1 - predictedGrowthSeconds / predictedScratchSeconds }
    public var measuredSaving: Double { 1 - measuredGrowthSeconds / measuredScratchSeconds }
    public var predictedSpeedup: Double { predictedScratchSeconds / predictedGrowthSeconds }
    public var measuredSpeedup: Double { measuredScratchSeconds / measuredGrowthSeconds }
    /// Relative error of the predicted saving; nil when the runs measured no saving (nothing to be relative to).
    public var savingError: Double? { measuredSaving > 0 ? predictedSaving / measuredSaving - 1 : nil }
}

/// One µP proxy or target run of the loss prediction.
public struct LossPoint: Codable, Sendable, Equatable {
    public var width: Int
    /// Non-embedding parameters N (Kaplan et al. 2020's convention for loss-vs-size laws).
    public var parameters: Int
    public var runId: Int64
    /// Final validation bits per byte on the mixture weighting.
    public var bitsPerByte: Double
}

/// A wider target: its loss predicted from the proxies' fit, then measured.
public struct LossTarget: Codable, Sendable, Equatable {
    public var point: LossPoint
    /// Parameters relative to the widest proxy's.
    public var ratio: Double
    public var predicted: PowerLawPrediction.Interval
    public var error: Double { predicted.value / point.bitsPerByte - 1 }
    public var insideInterval: Bool { point.bitsPerByte >= predicted.lower && point.bitsPerByte <= predicted.upper }
}

public struct LossValidation: Codable, Sendable, Equatable {
    public var proxies: [LossPoint]
    /// nil when the fit failed; `fitFailure` says why (and no prediction is printed).
    public var fit: PowerLawPrediction?
    public var fitFailure: String?
    public var targets: [LossTarget]
    /// Targets trained but not predicted (the fit failed).
    public var unpredicted: [LossPoint]
}

/// Everything `validate` predicted and measured.
public struct ValidationReport: Codable, Sendable {
    public var suite: String
    public var path: String
    public var system: String
    public var threads: Int
    public var time: [TimeRow]
    public var saving: SavingRow?
    public var loss: LossValidation?
    public var seconds: Double
}

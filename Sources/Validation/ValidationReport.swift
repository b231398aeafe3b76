import CurveFit
import Foundation

/// Predicted vs measured time of one run's stage (a step-time shape is a one-stage run).
public struct TimeRow: Encodable, Sendable, Equatable {
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

    enum Keys: String, CodingKey {
        case run, stage, shape, steps, runId, predictedStepSeconds, measuredStepSeconds, medianStepSeconds
        case predictedSeconds, measuredSeconds, stepError, medianStepError, totalError
    }
    /// The stored fields and the errors derived from them (JSON readers get both).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(run, forKey: .run); try c.encode(stage, forKey: .stage); try c.encode(shape, forKey: .shape)
        try c.encode(steps, forKey: .steps); try c.encode(runId, forKey: .runId)
        try c.encode(predictedStepSeconds, forKey: .predictedStepSeconds)
        try c.encode(measuredStepSeconds, forKey: .measuredStepSeconds)
        try c.encode(medianStepSeconds, forKey: .medianStepSeconds)
        try c.encode(predictedSeconds, forKey: .predictedSeconds); try c.encode(measuredSeconds, forKey: .measuredSeconds)
        try c.encode(stepError, forKey: .stepError); try c.encode(medianStepError, forKey: .medianStepError)
        try c.encode(totalError, forKey: .totalError)
    }
}

/// Growth vs scratch: time saving and speedup at equal tokens, predicted and measured.
public struct SavingRow: Encodable, Sendable, Equatable {
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

    enum Keys: String, CodingKey {
        case growthRunId, scratchRunId, predictedGrowthSeconds, predictedScratchSeconds, measuredGrowthSeconds
        case measuredScratchSeconds, predictedSaving, measuredSaving, predictedSpeedup, measuredSpeedup, savingError
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(growthRunId, forKey: .growthRunId); try c.encode(scratchRunId, forKey: .scratchRunId)
        try c.encode(predictedGrowthSeconds, forKey: .predictedGrowthSeconds)
        try c.encode(predictedScratchSeconds, forKey: .predictedScratchSeconds)
        try c.encode(measuredGrowthSeconds, forKey: .measuredGrowthSeconds)
        try c.encode(measuredScratchSeconds, forKey: .measuredScratchSeconds)
        try c.encode(predictedSaving, forKey: .predictedSaving); try c.encode(measuredSaving, forKey: .measuredSaving)
        try c.encode(predictedSpeedup, forKey: .predictedSpeedup); try c.encode(measuredSpeedup, forKey: .measuredSpeedup)
        try c.encodeIfPresent(savingError, forKey: .savingError)
    }
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
public struct LossTarget: Encodable, Sendable, Equatable {
    public var point: LossPoint
    /// Parameters relative to the widest proxy's.
    public var ratio: Double
    public var predicted: PowerLawPrediction.Interval
    public var error: Double { predicted.value / point.bitsPerByte - 1 }
    public var insideInterval: Bool { point.bitsPerByte >= predicted.lower && point.bitsPerByte <= predicted.upper }

    enum Keys: String, CodingKey { case point, ratio, predicted, error, insideInterval }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(point, forKey: .point); try c.encode(ratio, forKey: .ratio); try c.encode(predicted, forKey: .predicted)
        try c.encode(error, forKey: .error); try c.encode(insideInterval, forKey: .insideInterval)
    }
}

public struct LossValidation: Encodable, Sendable, Equatable {
    public var proxies: [LossPoint]
    /// nil when the fit failed; `fitFailure` says why (and no prediction is printed).
    public var fit: PowerLawPrediction?
    public var fitFailure: String?
    public var targets: [LossTarget]
    /// Targets trained but not predicted (the fit failed).
    public var unpredicted: [LossPoint]
}

/// Everything `validate` predicted and measured.
public struct ValidationReport: Encodable, Sendable {
    public var suite: String
    public var path: String
    public var system: String
    public var threads: Int
    public var time: [TimeRow]
    public var saving: SavingRow?
    public var loss: LossValidation?
    public var seconds: Double
}

import Foundation
import Training

/// One side of a measured comparison: a finished training run and where it came from.
public struct MeasuredRun: Codable, Sendable {
    public var name: String
    public var path: String
    public var runId: Int64
    /// Found finished in the results database (same config fingerprint and threads) instead of trained now.
    public var reused: Bool
    public var summary: TrainSummary

    public init(name: String, path: String, runId: Int64, reused: Bool, summary: TrainSummary) {
        self.name = name; self.path = path; self.runId = runId; self.reused = reused; self.summary = summary
    }

    /// Measured seconds of the optimizer steps (forward, backward, update; evaluation and checkpoints excluded).
    public var trainSeconds: Double { summary.curve.map(\.seconds).reduce(0, +) }

    /// Cumulative step seconds at the end of each step, by step.
    public var secondsThroughStep: [Int: Double] {
        var out: [Int: Double] = [:], t = 0.0
        for p in summary.curve { t += p.seconds; out[p.step] = t }
        return out
    }

    /// Validation curve of one weighted BPB: (step, tokens, seconds through that step, BPB).
    public func validationCurve(weighting: String) -> [(step: Int, tokens: Double, seconds: Double, bpb: Double)] {
        let seconds = secondsThroughStep
        return summary.evaluations.compactMap { e in
            guard let w = e.result.weighted.first(where: { $0.name == weighting }) else { return nil }
            return (e.step, e.tokens, seconds[e.step] ?? 0, w.bitsPerByte)
        }
    }

    public var finalEvaluation: EvaluationResult? { summary.evaluations.last?.result }
}

/// Growth against scratch, both measured by the trainer on this machine (issue 13), in FLM-101B's framing
/// (§2.3: time saving and speedup at equal tokens) and at equal loss (the time the scratch run needs to reach
/// the grown model's final validation loss, read off its evaluation curve by linear interpolation in time).
public struct MeasuredComparison: Codable, Sendable {
    public var growth: MeasuredRun
    public var scratch: MeasuredRun
    /// The weighted validation BPB the comparison is made on (`data.weightings`, default "mixture").
    public var weighting: String
    public var growthSeconds: Double
    public var scratchSeconds: Double
    /// 1 − T_growth / T_scratch at equal tokens.
    public var timeSaving: Double
    /// T_scratch / T_growth at equal tokens.
    public var speedupAtEqualTokens: Double
    public var growthFinalBPB: Double?
    public var scratchFinalBPB: Double?
    /// Scratch time to reach the grown model's final BPB; nil when its curve never gets there.
    public var scratchSecondsToGrowthLoss: Double?
    public var scratchTokensToGrowthLoss: Double?
    /// scratchSecondsToGrowthLoss / T_growth ("not reached" when nil).
    public var speedupAtEqualLoss: Double?

    public init(growth: MeasuredRun, scratch: MeasuredRun, weighting: String = "mixture") {
        self.growth = growth
        self.scratch = scratch
        self.weighting = weighting
        growthSeconds = growth.trainSeconds
        scratchSeconds = scratch.trainSeconds
        timeSaving = 1 - growthSeconds / scratchSeconds
        speedupAtEqualTokens = scratchSeconds / growthSeconds
        growthFinalBPB = growth.validationCurve(weighting: weighting).last?.bpb
        scratchFinalBPB = scratch.validationCurve(weighting: weighting).last?.bpb
        if let target = growthFinalBPB,
           let hit = Self.firstCrossing(of: target, in: scratch.validationCurve(weighting: weighting)) {
            scratchSecondsToGrowthLoss = hit.seconds
            scratchTokensToGrowthLoss = hit.tokens
            speedupAtEqualLoss = hit.seconds / growthSeconds
        }
    }

    /// Where a falling curve first reaches `target`, interpolated linearly between the evaluations around it
    /// (from the origin when the first evaluation is already below).
    static func firstCrossing(of target: Double, in curve: [(step: Int, tokens: Double, seconds: Double, bpb: Double)])
        -> (seconds: Double, tokens: Double)? {
        guard let i = curve.firstIndex(where: { $0.bpb <= target }) else { return nil }
        if i == 0 { return (curve[0].seconds, curve[0].tokens) }
        let a = curve[i - 1], b = curve[i]
        let f = (a.bpb - target) / (a.bpb - b.bpb)
        return (a.seconds + f * (b.seconds - a.seconds), a.tokens + f * (b.tokens - a.tokens))
    }

    public var bpbGap: Double? { growthFinalBPB.flatMap { g in scratchFinalBPB.map { g - $0 } } }
}

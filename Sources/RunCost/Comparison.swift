import PaperReference

/// Two schedules side by side (typically growth versus training the final model from scratch).
public struct RunComparison: Sendable, Equatable, Codable {
    public var a: RunEstimate
    public var b: RunEstimate
    /// 1 − A/B on wall time, and B/A.
    public var timeSaving: Double
    public var speedup: Double
    public var gpuHourSaving: Double
    public var flopSaving: Double
    /// FLM-101B's own way of estimating B when B is "A's final model from scratch": all of A's tokens at the
    /// throughput of A's final stage (compute only).
    public var papersMethodDays: Double
    public var papersMethodTimeSaving: Double
    /// Published figures for the comparison, when the reference table has them.
    public var paperTimeSaving: Double?
    public var paperSpeedup: Double?
    public var paperScratchDays: Double?

    public init(a: RunEstimate, b: RunEstimate, references: ReferenceTable?, paper: String?) {
        self.a = a
        self.b = b
        timeSaving = 1 - a.wallSeconds / b.wallSeconds
        speedup = b.wallSeconds / a.wallSeconds
        gpuHourSaving = 1 - a.spend.gpuHours / b.spend.gpuHours
        flopSaving = 1 - a.flops.hardware / b.flops.hardware
        let final = a.stages.last!
        papersMethodDays = a.tokens / final.tokensPerSecond / 86400
        let aCompute = a.stages.map(\.computeSeconds).reduce(0, +) / 86400
        papersMethodTimeSaving = 1 - aCompute / papersMethodDays
        func figure(_ stage: String, _ q: String) -> Double? { paper.flatMap { references?.figure(paper: $0, stage: stage, quantity: q)?.value } }
        paperTimeSaving = figure("total", "time_saving")
        paperSpeedup = figure("total", "speedup")
        paperScratchDays = figure("scratch", "days")
    }
}

import ModelKit

/// Throughput and utilisation of one simulated iteration — the one place MFU, HFU and the bubble share are
/// computed (`simulate` and `plan` both read them from here).
///
/// MFU counts model FLOPs (forward + backward, no recompute), HFU hardware FLOPs (recompute included), both per
/// GPU per second against the GPU's peak (Chowdhery et al. 2022, PaLM App. B; Korthikanti et al. 2022 §5).
public struct IterationMetrics: Sendable, Equatable {
    public var tokensPerSecond: Double
    public var modelFLOPsPerGPU: Double
    public var hardwareFLOPsPerGPU: Double
    public var mfu: Double
    public var hfu: Double
    /// Mean over pipeline ranks of idle time / iteration time.
    public var bubbleFraction: Double

    public init(model: ModelArchitecture, layout: ParallelLayout, globalBatch: Int, iterationTime T: Double,
                idlePerRank idle: [Double], peakFLOPs: Double) {
        let tokens = Double(globalBatch) * Double(model.sequenceLength)
        let flops = TrainingFlopsPerToken(model, layout: layout)
        let n = Double(layout.gpus)
        tokensPerSecond = tokens / T
        modelFLOPsPerGPU = tokens * flops.model / (T * n)
        hardwareFLOPsPerGPU = tokens * flops.hardware / (T * n)
        mfu = modelFLOPsPerGPU / peakFLOPs
        hfu = hardwareFLOPsPerGPU / peakFLOPs
        bubbleFraction = idle.isEmpty ? 0 : idle.reduce(0, +) / Double(idle.count) / T
    }
}

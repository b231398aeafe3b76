import ModelKit
import Hardware

public enum SimulationError: Error, CustomStringConvertible, Equatable {
    case invalidLayout([FieldProblem])
    case doesNotFit(MemoryOverflow)
    case systemMismatch(String)

    public var description: String {
        switch self {
        case let .invalidLayout(problems):
            "the parallel layout is invalid: " + problems.map(\.description).joined(separator: "; ")
        case let .doesNotFit(over):
            "the layout does not fit in GPU memory (\(over.usableGiB) GiB usable): \(over)"
        case let .systemMismatch(why): why
        }
    }
}

/// Time of each class of work in one iteration.
public struct TimeBreakdown: Sendable, Equatable, Codable {
    /// Decomposition of the critical pipeline rank's iteration (sums to the iteration time):
    /// compute + blocking TP collectives + idle (bubble and pipeline waits) + tail (gradient sync, optimizer,
    /// parameter gather after its last backward).
    public var compute: Double
    public var tensorComm: Double
    public var idle: Double
    public var tail: Double
    /// "What if it were free": iteration time minus the time with that communication set to zero.
    public var exposedTensorComm: Double
    public var exposedPipelineComm: Double
    public var exposedDataComm: Double
    public var optimizerStep: Double
}

/// Simulated performance of one training iteration of a stage.
public struct SimulationResult: Sendable, Equatable, Codable {
    public var iterationTime: Double
    public var tokensPerSecond: Double
    public var gpus: Int
    /// Model FLOPs (no recompute) per GPU per second, and as a fraction of peak (MFU).
    public var modelTFLOPsPerGPU: Double
    public var mfu: Double
    /// Hardware FLOPs (recompute counted) per GPU per second, and as a fraction of peak (HFU).
    public var hardwareTFLOPsPerGPU: Double
    public var hfu: Double
    /// Mean over pipeline ranks of idle / iteration time.
    public var bubbleFraction: Double
    public var microBatches: Int
    public var breakdown: TimeBreakdown
    public var memory: MemoryEstimate
    public var usableMemoryBytes: Double
    public var events: Int
    public var tasks: Int
    public var placement: Placement
}

/// Simulates one iteration of a model under a layout on a system.
public enum Simulator {
    public static func simulate(model: ModelArchitecture, layout: ParallelLayout, globalBatch: Int,
                                system: SystemProfile, usableMemoryBytes: Double,
                                options: SimulationOptions = SimulationOptions(),
                                timeline: Bool = false) throws -> (SimulationResult, [TaskInfo]) {
        let problems = layout.problems(for: model, globalBatch: globalBatch)
        guard problems.isEmpty else { throw SimulationError.invalidLayout(problems) }
        // Tensor parallelism may span nodes (its collectives then cross the network), in whole nodes.
        if layout.tensor > system.gpusPerNode && layout.tensor % system.gpusPerNode != 0 {
            throw SimulationError.systemMismatch("tp = \(layout.tensor) spans nodes of \(system.name) (\(system.gpusPerNode) GPUs each): expected a multiple of \(system.gpusPerNode)")
        }
        if layout.attention.fused && system.stack == .minigpt {
            throw SimulationError.systemMismatch("attention \(layout.attention.rawValue): \(system.name) runs MiniGPT, whose attention is the standard block-causal core; expected attention: standard")
        }
        if layout.precision == .fp8 && system.fp8PeakFLOPs == nil {
            throw SimulationError.systemMismatch("precision fp8 needs FP8 tensor cores and a measured fp8_gemm_ratio: \(system.name) (\(system.gpu.name)) has \(system.gpu.peakFP8TFLOPs == nil ? "no FP8 peak" : "no fp8_gemm_ratio")")
        }
        let memory = MemoryEstimate(model: model, layout: layout, globalBatch: globalBatch)
        if let over = memory.overflow(usableBytes: usableMemoryBytes) { throw SimulationError.doesNotFit(over) }

        let costs = CostModel.costs(model: model, layout: layout, globalBatch: globalBatch, system: system, options: options)
        let run = try IterationSimulator.run(costs, granularity: options.granularity, recordTimeline: timeline)
        func whatIf(_ change: (inout SimulationOptions) -> Void) throws -> Double {
            var o = options
            // Sharded weights: the what-ifs keep the run's own granularity, so a free class compares like with like.
            if layout.sharding < 3 { o.granularity = .chunk }
            change(&o)
            let c = CostModel.costs(model: model, layout: layout, globalBatch: globalBatch, system: system, options: o)
            return try IterationSimulator.run(c, granularity: o.granularity).iterationTime
        }
        let T = run.iterationTime
        let critical = (0..<layout.pipeline).max { run.lastPassEnd[$0] < run.lastPassEnd[$1] } ?? 0
        let breakdown = TimeBreakdown(
            compute: run.computeBusy[critical], tensorComm: run.tensorCommBusy[critical], idle: run.idle[critical],
            tail: T - run.lastPassEnd[critical],
            exposedTensorComm: T - (try whatIf { $0.freeTensorComm = true }),
            exposedPipelineComm: T - (try whatIf { $0.freePipelineComm = true }),
            exposedDataComm: T - (try whatIf { $0.freeDataComm = true }),
            optimizerStep: costs.optimizerStep.max() ?? 0)

        let metrics = IterationMetrics(model: model, layout: layout, globalBatch: globalBatch, iterationTime: T,
                                       idlePerRank: run.idle, peakFLOPs: system.peakFLOPs)
        let result = SimulationResult(
            iterationTime: T, tokensPerSecond: metrics.tokensPerSecond, gpus: layout.gpus,
            modelTFLOPsPerGPU: metrics.modelFLOPsPerGPU / 1e12, mfu: metrics.mfu,
            hardwareTFLOPsPerGPU: metrics.hardwareFLOPsPerGPU / 1e12, hfu: metrics.hfu,
            bubbleFraction: metrics.bubbleFraction, microBatches: costs.microBatches, breakdown: breakdown,
            memory: memory, usableMemoryBytes: usableMemoryBytes, events: run.events, tasks: run.tasks,
            placement: Placement(layout: layout, system: system, order: options.order))
        return (result, run.timeline)
    }
}

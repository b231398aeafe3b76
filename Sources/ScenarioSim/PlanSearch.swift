import Foundation
import ClusterSim
import Hardware
import ModelKit
import Scenario

/// One candidate layout and its simulated throughput.
public struct PlanCandidate: Sendable, Equatable, Codable {
    public var layout: ParallelLayout
    public var iterationTime: Double
    public var tokensPerSecond: Double
    public var mfu: Double
    public var hfu: Double
    public var bubbleFraction: Double
    public var peakMemoryBytes: Double
}

public struct PlanReport: Sendable, Equatable, Codable {
    public var scenario: String
    public var stage: String
    public var gpus: Int
    /// Layouts enumerated, rejected as invalid, rejected for memory, and simulated.
    public var enumerated: Int
    public var invalid: Int
    public var overMemory: Int
    public var simulated: Int
    public var top: [PlanCandidate]
    /// The scenario's own layout, its rank among the simulated ones (1 = best), and its share of the best throughput.
    public var scenarioLayout: PlanCandidate?
    public var scenarioRank: Int?
    public var searchSeconds: Double
}

/// Enumerates tensor, pipeline and data parallel sizes, micro-batch size, virtual stages, recompute,
/// sequence parallelism and the distributed optimizer for a stage's GPU count; drops layouts that are invalid
/// or do not fit in memory; simulates the rest (fused per-chunk tasks) and ranks them by throughput.
public enum PlanSearch {
    public static func candidates(model m: ModelArchitecture, gpus n: Int, globalBatch B: Int, gpusPerNode: Int) -> [ParallelLayout] {
        var out: [ParallelLayout] = []
        for t in [1, 2, 4, 8, 16] where t <= gpusPerNode && n % t == 0 {
            for p in 1...m.layers where m.layers % p == 0 && n % (t * p) == 0 {
                let d = n / (t * p)
                for b in [1, 2, 4, 8] where B % (b * d) == 0 {
                    let micro = B / (b * d)
                    var chunks = [1]
                    if p > 1 { chunks += [2, 3, 4, 5, 6, 8].filter { m.layers % (p * $0) == 0 && micro % p == 0 } }
                    for v in chunks {
                        for recompute in Recompute.allCases {
                            for sp in t > 1 ? [true, false] : [false] {
                                for distOpt in d > 1 ? [true, false] : [false] {
                                    out.append(ParallelLayout(tensor: t, pipeline: p, data: d, microBatch: b, virtualStages: v,
                                                              sequenceParallel: sp, distributedOptimizer: distOpt,
                                                              recompute: recompute, schedule: v > 1 ? .interleaved : .oneFOneB))
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    public static func search(_ stage: Stage, scenario: Scenario, system: SystemProfile, top k: Int = 10) -> PlanReport {
        let clock = Date()
        let n = scenario.cluster.gpus
        let all = candidates(model: stage.model, gpus: n, globalBatch: stage.globalBatch, gpusPerNode: system.gpusPerNode)
        var invalid = 0, overMemory = 0
        var feasible: [ParallelLayout] = []
        for layout in all {
            if !layout.problems(for: stage.model, globalBatch: stage.globalBatch).isEmpty { invalid += 1; continue }
            let memory = MemoryEstimate(model: stage.model, layout: layout, globalBatch: stage.globalBatch)
            if memory.overflow(usableBytes: scenario.cluster.usableMemoryBytes) != nil { overMemory += 1; continue }
            feasible.append(layout)
        }
        var options = ScenarioSimulator.options(for: stage, granularity: .chunk)
        options.granularity = .chunk
        let results = simulateAll(feasible, stage: stage, system: system, options: options)
        let ranked = results.compactMap { $0 }.sorted {
            $0.tokensPerSecond != $1.tokensPerSecond ? $0.tokensPerSecond > $1.tokensPerSecond
                : "\($0.layout)" < "\($1.layout)"
        }
        let own = ranked.firstIndex { $0.layout == stage.layout }
        return PlanReport(scenario: scenario.name, stage: stage.name, gpus: n, enumerated: all.count, invalid: invalid,
                          overMemory: overMemory, simulated: ranked.count, top: Array(ranked.prefix(k)),
                          scenarioLayout: own.map { ranked[$0] }, scenarioRank: own.map { $0 + 1 },
                          searchSeconds: Date().timeIntervalSince(clock))
    }

    /// Simulates every layout, spread over the machine's cores; results keep the input order.
    static func simulateAll(_ layouts: [ParallelLayout], stage: Stage, system: SystemProfile,
                            options: SimulationOptions) -> [PlanCandidate?] {
        let box = ResultBox(count: layouts.count)
        DispatchQueue.concurrentPerform(iterations: layouts.count) { i in
            let layout = layouts[i]
            let costs = CostModel.costs(model: stage.model, layout: layout, globalBatch: stage.globalBatch, system: system, options: options)
            guard let run = try? IterationSimulator.run(costs, granularity: .chunk) else { return }
            let metrics = IterationMetrics(model: stage.model, layout: layout, globalBatch: stage.globalBatch,
                                           iterationTime: run.iterationTime, idlePerRank: run.idle, peakFLOPs: system.peakFLOPs)
            box.set(i, PlanCandidate(layout: layout, iterationTime: run.iterationTime, tokensPerSecond: metrics.tokensPerSecond,
                                     mfu: metrics.mfu, hfu: metrics.hfu, bubbleFraction: metrics.bubbleFraction,
                                     peakMemoryBytes: MemoryEstimate(model: stage.model, layout: layout, globalBatch: stage.globalBatch).peak.total))
        }
        return box.values
    }
}

/// Results written from concurrent iterations, each to its own slot.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [PlanCandidate?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: PlanCandidate) { lock.lock(); values[i] = v; lock.unlock() }
}

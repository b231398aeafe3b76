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
    /// Layouts not simulated because their compute alone is slower than the k-th best and the scenario's layout.
    public var pruned: Int = 0
    public var top: [PlanCandidate]
    /// The scenario's own layout, its rank among the simulated ones (1 = best), and its share of the best throughput.
    public var scenarioLayout: PlanCandidate?
    public var scenarioRank: Int?
    public var searchSeconds: Double
}

/// Enumerates tensor, pipeline, context and data parallel sizes, micro-batch size, virtual stages, recompute,
/// sequence parallelism, the attention kernel, and how replicas shard (none, the distributed optimizer = ZeRO-1, or
/// FSDP = ZeRO-3 without pipelining) for a stage's GPU count; drops layouts that are invalid or do not fit in memory;
/// simulates the rest (fused per-chunk tasks) and ranks them by throughput.
public enum PlanSearch {
    /// `fused`: the fused attention kernel the system runs (nil = only the standard one, as on the CPU profiles).
    /// `like`: the stage's own layout, whose number formats (GEMM precision, gradient reduce) every candidate keeps —
    /// they are training choices, not layout ones.
    public static func candidates(model m: ModelArchitecture, gpus n: Int, globalBatch B: Int, gpusPerNode: Int,
                                  fused: AttentionKernel? = nil, like: ParallelLayout? = nil) -> [ParallelLayout] {
        var out: [ParallelLayout] = []
        let kernels: [AttentionKernel] = [.standard] + (fused.map { [$0] } ?? [])
        for attention in kernels {
            // Context parallelism needs a fused kernel (Megatron-LM's CP runs on Transformer Engine attention).
            let contexts = attention.fused ? [1, 2, 4, 8].filter {
                ParallelLayout.contextParallelSplits(sequenceLength: m.sequenceLength, cp: $0) && m.sequenceLength / $0 >= 1024
            } : [1]
            for cp in contexts {
                for t in [1, 2, 4, 8, 16] where t <= gpusPerNode && n % (t * cp) == 0 {
                    for p in 1...m.layers where m.layers % p == 0 && n % (t * p * cp) == 0 {
                        let d = n / (t * p * cp)
                        for b in [1, 2, 4, 8] where B % (b * d) == 0 {
                            let micro = B / (b * d)
                            var chunks = [1]
                            if p > 1 { chunks += [2, 3, 4, 5, 6, 8].filter { m.layers % (p * $0) == 0 && micro % p == 0 } }
                            // 0: replicated, 1: distributed optimizer, 3: FSDP (per-layer gathers; without pipelining).
                            let shardings = d * cp > 1 ? [0, 1] + (p == 1 ? [3] : []) : [0]
                            for v in chunks {
                                for recompute in Recompute.allCases where !(attention.fused && recompute == .selective) {   // = none (effectiveRecompute)
                                    for sp in t > 1 ? [true, false] : [false] {
                                        for sharding in shardings {
                                            var layout = ParallelLayout(tensor: t, pipeline: p, data: d, microBatch: b, virtualStages: v,
                                                                        sequenceParallel: sp, distributedOptimizer: sharding == 1,
                                                                        recompute: recompute, schedule: v > 1 ? .interleaved : .oneFOneB)
                                            layout.contextParallel = cp
                                            layout.zeroStage = sharding == 3 ? 3 : 0
                                            layout.attention = attention
                                            layout.precision = like?.precision ?? .bf16
                                            layout.gradientReduce = like?.gradientReduce ?? .fp32
                                            out.append(layout)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// `prune: false` simulates every feasible layout (the reference the branch and bound is tested against).
    public static func search(_ stage: Stage, scenario: Scenario, system: SystemProfile, top k: Int = 10,
                              prune: Bool = true) -> PlanReport {
        let clock = Date()
        let n = scenario.cluster.gpus
        let fused = system.fusedAttentionKernel
        let all = candidates(model: stage.model, gpus: n, globalBatch: stage.globalBatch, gpusPerNode: system.gpusPerNode,
                             fused: fused, like: stage.layout)
        var invalid = 0, overMemory = 0
        var feasible: [(layout: ParallelLayout, peakMemory: Double)] = []
        for layout in all {
            if !layout.problems(for: stage.model, globalBatch: stage.globalBatch).isEmpty { invalid += 1; continue }
            let memory = MemoryEstimate(model: stage.model, layout: layout, globalBatch: stage.globalBatch)
            if memory.overflow(usableBytes: scenario.cluster.usableMemoryBytes) != nil { overMemory += 1; continue }
            feasible.append((layout, memory.peak.total))
        }
        var options = ScenarioSimulator.options(for: stage, granularity: .chunk)
        options.granularity = .chunk
        // Branch and bound: a layout's iteration is at least its busiest rank's compute over all micro-batches (no
        // bubble, no communication). Layouts are simulated in order of that bound, and the search stops once the next
        // bound is slower than both the k-th best simulated layout and the scenario's own — such layouts can change
        // neither the top k nor the scenario's rank.
        let costed = costAll(feasible.map(\.layout), stage: stage, system: system, options: options)
        let order = costed.indices.sorted { costed[$0].bound != costed[$1].bound ? costed[$0].bound < costed[$1].bound : $0 < $1 }
        var ranked: [PlanCandidate] = []
        let ownIndex = feasible.firstIndex { $0.layout == stage.layout }
        var ownTime = Double.infinity
        if let i = ownIndex, let own = simulateAll([i], costed, feasible, stage: stage, system: system).first! {
            ownTime = own.iterationTime
            ranked.append(own)
        }
        var next = 0, pruned = 0
        while next < order.count {
            let kth = ranked.count >= k ? ranked.map(\.iterationTime).sorted()[k - 1] : Double.infinity
            // Without the scenario's layout among the candidates only the top k matter.
            if prune && costed[order[next]].bound > (ownIndex == nil ? kth : max(kth, ownTime)) { pruned = order.count - next; break }
            let batch = Array(order[next..<min(next + 64, order.count)]).filter { $0 != ownIndex }
            ranked += simulateAll(batch, costed, feasible, stage: stage, system: system).compactMap { $0 }
            next += 64
        }
        ranked.sort {
            $0.tokensPerSecond != $1.tokensPerSecond ? $0.tokensPerSecond > $1.tokensPerSecond : "\($0.layout)" < "\($1.layout)"
        }
        let own = ranked.firstIndex { $0.layout == stage.layout }
        return PlanReport(scenario: scenario.name, stage: stage.name, gpus: n, enumerated: all.count, invalid: invalid,
                          overMemory: overMemory, simulated: ranked.count, pruned: pruned, top: Array(ranked.prefix(k)),
                          scenarioLayout: own.map { ranked[$0] }, scenarioRank: own.map { $0 + 1 },
                          searchSeconds: Date().timeIntervalSince(clock))
    }

    /// Costs of every layout and the lower bound of its iteration, spread over the machine's cores.
    static func costAll(_ layouts: [ParallelLayout], stage: Stage, system: SystemProfile,
                        options: SimulationOptions) -> [(costs: IterationCosts, bound: Double)] {
        let box = Box<(costs: IterationCosts, bound: Double)>(count: layouts.count)
        DispatchQueue.concurrentPerform(iterations: layouts.count) { i in
            let c = CostModel.costs(model: stage.model, layout: layouts[i], globalBatch: stage.globalBatch, system: system, options: options)
            let busiest = c.chunks.map { rank in rank.reduce(0.0) { $0 + $1.forward + $1.backward } }.max() ?? 0
            box.set(i, (c, Double(c.microBatches) * busiest))
        }
        return box.values.map { $0! }
    }

    /// Simulates the layouts at `indices`, spread over the machine's cores; results keep the order of `indices`.
    static func simulateAll(_ indices: [Int], _ costed: [(costs: IterationCosts, bound: Double)],
                            _ feasible: [(layout: ParallelLayout, peakMemory: Double)],
                            stage: Stage, system: SystemProfile) -> [PlanCandidate?] {
        let box = Box<PlanCandidate>(count: indices.count)
        DispatchQueue.concurrentPerform(iterations: indices.count) { j in
            let i = indices[j], layout = feasible[i].layout
            guard let run = try? IterationSimulator.run(costed[i].costs, granularity: .chunk) else { return }
            let metrics = IterationMetrics(model: stage.model, layout: layout, globalBatch: stage.globalBatch,
                                           iterationTime: run.iterationTime, idlePerRank: run.idle, peakFLOPs: system.peakFLOPs)
            box.set(j, PlanCandidate(layout: layout, iterationTime: run.iterationTime, tokensPerSecond: metrics.tokensPerSecond,
                                     mfu: metrics.mfu, hfu: metrics.hfu, bubbleFraction: metrics.bubbleFraction,
                                     peakMemoryBytes: feasible[i].peakMemory))
        }
        return box.values
    }
}

/// Results written from concurrent iterations, each to its own slot.
private final class Box<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Value?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: Value) { lock.lock(); values[i] = v; lock.unlock() }
}

import DiscreteEvent
import ModelKit

/// What a task of the iteration graph is, for timelines and breakdowns.
public enum TaskKind: UInt8, Sendable, Codable, CaseIterable {
    case compute, tensorComm, pipelineSend, dataComm, optimizer, barrier

    public var label: String {
        switch self {
        case .compute: "compute"
        case .tensorComm: "TP comm"
        case .pipelineSend: "PP send"
        case .dataComm: "DP comm"
        case .optimizer: "optimizer"
        case .barrier: "barrier"
        }
    }
}

/// Description of one task, kept when a timeline is requested.
public struct TaskInfo: Sendable, Equatable, Codable {
    public var kind: TaskKind
    public var rank: Int
    /// Resource (stream or link) name.
    public var stream: String
    public var label: String
    public var start: Double = 0
    public var finish: Double = 0
}

/// The scheduled iteration: its length, per-rank busy and idle times, and optionally every task.
public struct IterationRun: Sendable {
    public var iterationTime: Double
    /// Per pipeline rank: time its GPU stream spent on compute and on (blocking) tensor-parallel collectives,
    /// and when its last forward/backward finished.
    public var computeBusy: [Double]
    public var tensorCommBusy: [Double]
    public var lastPassEnd: [Double]
    public var events: Int
    public var tasks: Int
    public var timeline: [TaskInfo]

    /// Idle time of each rank's GPU stream until the pipeline's last pass ended (bubble and waits).
    public var idle: [Double] {
        let end = lastPassEnd.max() ?? 0
        return (0..<computeBusy.count).map { end - computeBusy[$0] - tensorCommBusy[$0] }
    }
}

/// The task graph of one iteration with the bookkeeping needed to summarise its schedule.
public struct IterationGraph: Sendable {
    public var graph: TaskGraph
    public var infos: [TaskInfo]
    var lastTaskOfRank: [Int]
    var computeBusy: [Double]
    var tensorCommBusy: [Double]
}

/// Builds the task graph of one iteration from `IterationCosts` and runs it on the discrete-event engine.
public enum IterationSimulator {
    public static func run(_ c: IterationCosts, granularity: SimulationOptions.Granularity,
                           recordTimeline: Bool = false) throws -> IterationRun {
        var built = graph(c, granularity: granularity, recordTimeline: recordTimeline)
        let schedule = try Engine.run(built.graph)
        if recordTimeline {
            for i in 0..<built.infos.count { built.infos[i].start = schedule.start[i]; built.infos[i].finish = schedule.finish[i] }
        }
        let lastPassEnd = built.lastTaskOfRank.map { schedule.finish[$0] }
        return IterationRun(iterationTime: schedule.makespan, computeBusy: built.computeBusy, tensorCommBusy: built.tensorCommBusy,
                            lastPassEnd: lastPassEnd, events: schedule.events, tasks: built.graph.taskCount, timeline: built.infos)
    }

    public static func graph(_ c: IterationCosts, granularity: SimulationOptions.Granularity,
                             recordTimeline: Bool = false) -> IterationGraph {
        let p = c.pipelineRanks, v = c.virtualStages, m = c.microBatches
        var g = TaskGraph()
        var infos: [TaskInfo] = []
        let gpu = (0..<p).map { g.addResource("rank \($0) GPU") }
        let dp = (0..<p).map { g.addResource("rank \($0) DP comm") }
        // One link per ordered pair of neighbouring ranks and direction.
        var links: [Int: Int] = [:]
        func link(_ from: Int, _ to: Int) -> Int {
            let key = from * p + to
            if let r = links[key] { return r }
            let r = g.addResource("link \(from)→\(to)")
            links[key] = r
            return r
        }
        func add(_ resource: Int, _ duration: Double, _ kind: TaskKind, rank: Int, _ label: @autoclosure () -> String,
                 after deps: [Int] = []) -> Int {
            let id = g.addTask(resource: resource, duration: duration, tag: kind.rawValue, after: deps)
            if recordTimeline {
                infos.append(TaskInfo(kind: kind, rank: rank,
                                      stream: resource >= 0 ? g.resourceNames[resource] : "-", label: label()))
            }
            return id
        }

        let virtualCount = p * v
        // First and last task of each (micro-batch, virtual stage) pass, for cross-rank dependencies.
        var fStart = [Int](repeating: -1, count: m * virtualCount), fEnd = fStart
        var bStart = fStart, bEnd = fStart
        var lastTaskOfRank = [Int](repeating: -1, count: p)
        var reduceTasks: [Int] = []
        var computeBusy = [Double](repeating: 0, count: p), tpBusy = computeBusy

        for rank in 0..<p {
            var previous: Int? = nil
            let program = PipelineProgram.ops(rank: rank, ranks: p, microBatches: m, chunks: v, schedule: c.schedule)
            for op in program {
                let chunk = c.chunks[rank][op.chunk]
                let k = op.chunk * p + rank
                let key = op.microBatch * virtualCount + k
                let deps = previous.map { [$0] } ?? []
                let lastMicroBatch = op.backward && op.microBatch == m - 1
                let perLayer = granularity == .layer || lastMicroBatch
                var first = -1, last = -1
                /// The last two compute tasks: FSDP issues layer l's all-gather when layer l − 1 starts computing, i.e. once
                /// layer l − 2 is done (one layer prefetched, PyTorch FSDP's forward/backward prefetch).
                var computeBeforeLast: Int? = nil, lastCompute: Int? = nil
                func chain(_ duration: Double, _ kind: TaskKind, _ label: @autoclosure () -> String, waitingFor extra: Int? = nil) {
                    let before = last >= 0 ? [last] : deps
                    let id = add(gpu[rank], duration, kind, rank: rank, label(), after: extra.map { before + [$0] } ?? before)
                    if first < 0 { first = id }
                    last = id
                    if kind == .compute { computeBeforeLast = lastCompute; lastCompute = id }
                }
                /// The all-gather of weights the next compute task waits for, on the rank's data-parallel stream
                /// (nil when nothing is gathered).
                func gather(_ duration: Double, _ label: @autoclosure () -> String) -> Int? {
                    guard duration > 0 else { return nil }
                    let issue = computeBeforeLast.map { [$0] } ?? deps
                    return add(dp[rank], duration, .dataComm, rank: rank, label(), after: issue)
                }
                if !op.backward {
                    computeBusy[rank] += Double(chunk.layers) * chunk.layerForwardCompute + chunk.extraForward
                    tpBusy[rank] += Double(chunk.layers) * chunk.layerForwardTensorComm
                    if perLayer {
                        // The root unit (embedding, head) is gathered once, before the first micro-batch.
                        let extra = op.microBatch == 0 ? gather(chunk.extraGather, "\(op) gather embedding/head") : nil
                        for l in 0..<chunk.layers {
                            let g = gather(chunk.layerGather, "\(op) layer \(l) gather")
                            chain(chunk.layerForwardCompute, .compute, "\(op) layer \(l)", waitingFor: l == 0 ? (g ?? extra) : g)
                            if chunk.layerForwardTensorComm > 0 { chain(chunk.layerForwardTensorComm, .tensorComm, "\(op) layer \(l) TP") }
                        }
                        if chunk.extraForward > 0 { chain(chunk.extraForward, .compute, "\(op) logits", waitingFor: extra) }
                    } else {
                        chain(c.shardedWeights ? chunk.shardedForward(firstMicroBatch: op.microBatch == 0) : chunk.forward, .compute, "\(op)")
                    }
                    fStart[key] = first; fEnd[key] = last
                } else {
                    computeBusy[rank] += Double(chunk.layers) * chunk.layerBackwardCompute + chunk.extraBackward
                    tpBusy[rank] += Double(chunk.layers) * chunk.layerBackwardTensorComm
                    if perLayer {
                        if chunk.extraBackward > 0 { chain(chunk.extraBackward, .compute, "\(op) logits") }
                        for l in (0..<chunk.layers).reversed() {
                            let g = gather(chunk.layerGather, "\(op) layer \(l) gather")
                            chain(chunk.layerBackwardCompute, .compute, "\(op) layer \(l)", waitingFor: g)
                            if chunk.layerBackwardTensorComm > 0 { chain(chunk.layerBackwardTensorComm, .tensorComm, "\(op) layer \(l) TP") }
                            if c.shardedWeights {
                                // FSDP reduce-scatters each layer's gradients as soon as its backward is done, every micro-batch.
                                // The root unit's gradients are reduce-scattered once, after the last micro-batch.
                                let more = l == 0 && lastMicroBatch ? chunk.extraGradientReduce : 0
                                reduceTasks.append(add(dp[rank], chunk.layerGradientReduce + more, .dataComm, rank: rank,
                                                       "\(op) layer \(l) grad reduce-scatter", after: [last]))
                            } else if lastMicroBatch && c.overlapGradReduce {
                                // Bucketed gradient reduction overlapped with the rest of the backward pass.
                                let extra = l == 0 ? chunk.extraParameters : 0
                                reduceTasks.append(add(dp[rank], c.gradientReduce(parameters: chunk.layerParameters + extra),
                                                       .dataComm, rank: rank, "grad reduce chunk \(op.chunk) layer \(l)", after: [last]))
                            }
                        }
                    } else {
                        chain(c.shardedWeights ? chunk.shardedBackward : chunk.backward, .compute, "\(op)")
                    }
                    bStart[key] = first; bEnd[key] = last
                }
                previous = last
            }
            lastTaskOfRank[rank] = previous ?? -1
        }

        // Activation and gradient sends between consecutive virtual stages.
        for mb in 0..<m {
            for k in 0..<(virtualCount - 1) {
                let from = k % p, to = (k + 1) % p
                let a = mb * virtualCount + k, b = a + 1
                let sf = add(link(from, to), c.sendForward[k], .pipelineSend, rank: from, "send F\(mb) \(k)→\(k + 1)", after: [fEnd[a]])
                g.addDependency(from: sf, to: fStart[b])
                let sb = add(link(to, from), c.sendBackward[k], .pipelineSend, rank: to, "send B\(mb) \(k + 1)→\(k)", after: [bEnd[b]])
                g.addDependency(from: sb, to: bStart[a])
            }
            // The loss: the last virtual stage's backward follows its forward (same rank, program order
            // already guarantees it; the explicit edge documents it).
            let lastKey = mb * virtualCount + virtualCount - 1
            g.addDependency(from: fEnd[lastKey], to: bStart[lastKey])
        }

        if !c.overlapGradReduce && !c.shardedWeights {
            for rank in 0..<p {
                let params = c.chunks[rank].reduce(0.0) { $0 + Double($1.layers) * $1.layerParameters + $1.extraParameters }
                reduceTasks.append(add(dp[rank], c.gradientReduce(parameters: params), .dataComm, rank: rank,
                                       "grad reduce", after: [lastTaskOfRank[rank]]))
            }
        }
        // Gradient clipping needs a global norm: every rank waits for every reduction, then steps.
        let barrier = add(TaskGraph.unconstrained, 0, .barrier, rank: 0, "global grad norm",
                          after: reduceTasks + lastTaskOfRank)
        for rank in 0..<p {
            let step = add(gpu[rank], c.optimizerStep[rank], .optimizer, rank: rank, "optimizer step", after: [barrier])
            if c.parameterGather[rank] > 0 {
                _ = add(dp[rank], c.parameterGather[rank], .dataComm, rank: rank, "param all-gather", after: [step])
            }
        }

        return IterationGraph(graph: g, infos: infos, lastTaskOfRank: lastTaskOfRank, computeBusy: computeBusy,
                              tensorCommBusy: tpBusy)
    }
}

/// Pipeline schedule (Narayanan et al. 2021 §2.2).
public enum PipelineSchedule: String, Codable, Sendable, CaseIterable {
    case gpipe
    case oneFOneB = "1f1b"
    case interleaved = "interleaved-1f1b"
}

/// A 3D-parallel layout of one training stage (Megatron-LM terms).
/// How ranks are numbered across the parallel dimensions, which decides which link each kind of traffic
/// crosses. Megatron-LM orders ranks with tensor parallelism fastest (inside a node), then data, then pipeline
/// parallelism (`tp-dp-pp`); `tp-pp-dp` puts consecutive pipeline stages next to each other instead.
public enum RankOrder: String, Sendable, Codable, CaseIterable {
    case tpDpPp = "tp-dp-pp"
    case tpPpDp = "tp-pp-dp"
}

public struct ParallelLayout: Codable, Sendable, Equatable, Hashable {
    public var tensor: Int
    public var pipeline: Int
    public var data: Int
    /// Sequences per micro-batch (b).
    public var microBatch: Int
    /// Model chunks per pipeline rank (v); > 1 only with the interleaved schedule.
    public var virtualStages: Int
    public var sequenceParallel: Bool
    public var distributedOptimizer: Bool
    public var recompute: Recompute
    public var schedule: PipelineSchedule

    public init(tensor: Int, pipeline: Int, data: Int, microBatch: Int = 1, virtualStages: Int = 1,
                sequenceParallel: Bool = false, distributedOptimizer: Bool = false,
                recompute: Recompute = .none, schedule: PipelineSchedule = .oneFOneB) {
        self.tensor = tensor
        self.pipeline = pipeline
        self.data = data
        self.microBatch = microBatch
        self.virtualStages = virtualStages
        self.sequenceParallel = sequenceParallel
        self.distributedOptimizer = distributedOptimizer
        self.recompute = recompute
        self.schedule = schedule
    }

    public var gpus: Int { tensor * pipeline * data }

    /// Micro-batches per pipeline per iteration: m = B / (b · d) (Narayanan §3.1).
    public func microBatches(globalBatch: Int) -> Int { globalBatch / (microBatch * data) }

    /// Problems with this layout for `model` and a global batch of `globalBatch` sequences,
    /// as (field, what was expected). Field names are the scenario file's.
    public func problems(for model: ModelArchitecture, globalBatch: Int) -> [FieldProblem] {
        var out: [FieldProblem] = []
        for (field, value) in [("tp", tensor), ("pp", pipeline), ("dp", data),
                               ("micro_batch", microBatch), ("virtual_stages", virtualStages)] where value <= 0 {
            out.append(FieldProblem(field: field, expected: "a positive integer, found \(value)"))
        }
        guard out.isEmpty else { return out }
        if model.heads % tensor != 0 {
            out.append(FieldProblem(field: "tp", expected: "a divisor of the number of heads (\(model.heads)), found \(tensor)"))
        }
        if model.ffnHidden % tensor != 0 {
            out.append(FieldProblem(field: "tp", expected: "a divisor of ffn_hidden (\(model.ffnHidden)), found \(tensor)"))
        }
        if model.paddedVocab % tensor != 0 {
            out.append(FieldProblem(field: "tp", expected: "a divisor of padded_vocab (\(model.paddedVocab)), found \(tensor)"))
        }
        if model.layers % (pipeline * virtualStages) != 0 {
            out.append(FieldProblem(field: "pp",
                expected: "pp × virtual_stages (\(pipeline) × \(virtualStages)) to divide layers (\(model.layers))"))
        }
        if globalBatch % (microBatch * data) != 0 {
            out.append(FieldProblem(field: "micro_batch",
                expected: "micro_batch × dp (\(microBatch) × \(data)) to divide the global batch (\(globalBatch) sequences)"))
        }
        if virtualStages > 1 && schedule != .interleaved {
            out.append(FieldProblem(field: "virtual_stages",
                expected: "1 unless schedule is interleaved-1f1b, found \(virtualStages) with \(schedule.rawValue)"))
        }
        if schedule == .interleaved {
            if virtualStages < 2 || pipeline < 2 {
                out.append(FieldProblem(field: "schedule",
                    expected: "interleaved-1f1b to have pp ≥ 2 and virtual_stages ≥ 2, found pp \(pipeline), v \(virtualStages)"))
            } else if globalBatch % (microBatch * data) == 0 && microBatches(globalBatch: globalBatch) % pipeline != 0 {
                // Megatron-LM's interleaved schedule needs the micro-batch count to be a multiple of pp.
                out.append(FieldProblem(field: "schedule",
                    expected: "micro-batches per pipeline (\(microBatches(globalBatch: globalBatch))) to be a multiple of pp (\(pipeline)) for interleaved-1f1b"))
            }
        }
        return out
    }
}

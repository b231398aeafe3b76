/// Pipeline schedule (Narayanan et al. 2021 §2.2).
public enum PipelineSchedule: String, Codable, Sendable, CaseIterable {
    case gpipe
    case oneFOneB = "1f1b"
    case interleaved = "interleaved-1f1b"
}

/// How ranks are numbered across the parallel dimensions, which decides which link each kind of traffic
/// crosses. Megatron-LM orders ranks with tensor parallelism fastest (inside a node), then data, then pipeline
/// parallelism (`tp-dp-pp`); `tp-pp-dp` puts consecutive pipeline stages next to each other instead.
public enum RankOrder: String, Sendable, Codable, CaseIterable {
    case tpDpPp = "tp-dp-pp"
    case tpPpDp = "tp-pp-dp"
}

/// A 3D-parallel layout of one training stage (Megatron-LM terms).
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
    /// Decoder layers on each pipeline rank, first to last, when they are uneven (BLOOM and GLM-130B balance the
    /// embedding and loss stages this way; Megatron-LM's `--decoder-first/last-pipeline-num-layers`); nil = layers / pp
    /// on every rank. Uneven stages need virtual_stages = 1.
    public var stageLayers: [Int]? = nil

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

    /// Decoder layers held by pipeline rank `i` (all its model chunks together).
    public func layers(onStage i: Int, of model: ModelArchitecture) -> Int { stageLayers?[i] ?? model.layers / pipeline }

    /// Layers per model chunk (virtual stage) on pipeline rank `i`.
    public func layersPerChunk(onStage i: Int, of model: ModelArchitecture) -> Int { layers(onStage: i, of: model) / virtualStages }

    /// Megatron-LM's form of an uneven split: `first` layers on the first rank and/or `last` on the last, the rest
    /// spread evenly over the other ranks. A problem (field, expected) when the rest does not divide evenly.
    public static func stageLayers(layers: Int, pipeline p: Int, first: Int?, last: Int?) -> Result<[Int], FieldProblem> {
        let field = first != nil ? "first_stage_layers" : "last_stage_layers"
        let fixed = (first != nil ? 1 : 0) + (last != nil ? 1 : 0)
        let rest = layers - (first ?? 0) - (last ?? 0), middle = p - fixed
        guard p > fixed || (p == fixed && rest == 0) else {
            return .failure(FieldProblem(field: field, expected: "pp ≥ \(fixed + 1) to leave ranks for the other layers, found pp \(p)"))
        }
        guard rest >= 0, middle == 0 || (rest % middle == 0 && rest / middle >= 1) else {
            return .failure(FieldProblem(field: field, expected: "the remaining \(rest) layers to split evenly over the \(middle) other pipeline ranks"))
        }
        var out = Array(repeating: middle == 0 ? 0 : rest / middle, count: p)
        if let first { out[0] = first }
        if let last { out[p - 1] = last }
        return .success(out)
    }

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
        } else if model.kvHeads % tensor != 0 {
            // Megatron-LM splits key/value heads over tensor-parallel ranks (num_query_groups % tp == 0).
            out.append(FieldProblem(field: "tp", expected: "a divisor of kv_heads (\(model.kvHeads)), found \(tensor)"))
        }
        if model.ffnHidden % tensor != 0 {
            out.append(FieldProblem(field: "tp", expected: "a divisor of ffn_hidden (\(model.ffnHidden)), found \(tensor)"))
        }
        if model.paddedVocab % tensor != 0 {
            out.append(FieldProblem(field: "tp", expected: "a divisor of padded_vocab (\(model.paddedVocab)), found \(tensor)"))
        }
        if let stages = stageLayers {
            if stages.count != pipeline {
                out.append(FieldProblem(field: "stage_layers", expected: "one layer count per pipeline rank (pp = \(pipeline)), found \(stages.count)"))
            } else if stages.reduce(0, +) != model.layers {
                out.append(FieldProblem(field: "stage_layers", expected: "layer counts that add up to the model's \(model.layers) layers, found \(stages.reduce(0, +))"))
            } else if stages.enumerated().contains(where: { i, n in n < 0 || (n == 0 && i != 0 && i != pipeline - 1) }) {
                out.append(FieldProblem(field: "stage_layers", expected: "at least one layer on every rank but the first and last (which may hold only the embedding or the loss), found \(stages)"))
            } else if virtualStages != 1 {
                out.append(FieldProblem(field: "virtual_stages", expected: "1 with uneven stage_layers, found \(virtualStages)"))
            }
        } else if model.layers % (pipeline * virtualStages) != 0 {
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

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

/// How the attention core runs (Dao 2023, FlashAttention-2, arXiv 2307.08691).
public enum AttentionKernel: String, Codable, Sendable, CaseIterable {
    /// Megatron-LM's unfused core: QKᵀ and ×V as batched GEMMs over the full s×s square, the softmax output kept
    /// for backward (Korthikanti et al.'s 5·a·s²·b bytes).
    case standard
    /// FlashAttention-2: tiled and fused, the s×s scores never reach memory (backward recomputes them from Q, K, V
    /// and the log-sum-exp); causal masking skips the blocks above the diagonal, so about half the square runs.
    /// What PyTorch's scaled_dot_product_attention runs on A100/H100 in bf16.
    case flash
    /// cuDNN's fused flash attention, what NVIDIA Transformer Engine (NeMo, Megatron-Core) runs: the same algorithm,
    /// Hopper-tuned kernels.
    case cudnn

    /// A fused kernel: no s×s scores in memory.
    public var fused: Bool { self != .standard }
}

/// The number format of the linear layers' GEMMs. FP8 (Transformer Engine, torchao Float8) runs QKV, the output
/// projection and the FFN on FP8 tensor cores; attention, the logits and everything else stay in bf16.
public enum GEMMPrecision: String, Codable, Sendable, CaseIterable { case bf16, fp8 }

/// The number format gradients are reduced in across data-parallel ranks: Megatron-LM reduces its fp32 main
/// gradients; PyTorch FSDP reduces in its mixed-precision policy's `reduce_dtype` (fp32 in torchtitan, bf16 in fms-fsdp).
public enum ReducePrecision: String, Codable, Sendable, CaseIterable {
    case fp32, bf16
    public var bytes: Double { self == .fp32 ? 4 : 2 }
}

/// A 3D-parallel layout of one training stage (Megatron-LM terms), with context parallelism and ZeRO / FSDP
/// sharding of the data-parallel replicas.
public struct ParallelLayout: Sendable, Equatable, Hashable {
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
    /// Context-parallel degree (Megatron-LM's CP, ring attention): each rank holds s / cp tokens of every sequence
    /// and exchanges keys and values with the others around a ring.
    public var contextParallel: Int = 1
    /// ZeRO stage of the replicas' sharding (Rajbhandari et al. 2020): 0 = replicated, 1 = optimizer state,
    /// 2 = + gradients, 3 = + weights (PyTorch FSDP's FULL_SHARD, FSDP2). Megatron's distributed optimizer is stage 1.
    public var zeroStage: Int = 0
    /// Ranks one shard spans, among the dp × cp ranks that hold the same parameters; nil = all of them. Smaller
    /// groups replicate the shard (HSDP: shard inside the group, all-reduce across dp × cp / group replicas).
    public var shardGroup: Int? = nil
    public var attention: AttentionKernel = .standard
    /// With full recompute: layers per pipeline rank that recompute (Megatron-LM's `--recompute-method block
    /// --recompute-num-layers`, which counts per model chunk: k / virtual_stages); the rank's other layers keep their
    /// activations. nil = every layer.
    public var recomputeLayers: Int? = nil
    public var precision: GEMMPrecision = .bf16
    public var gradientReduce: ReducePrecision = .fp32

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

    public var gpus: Int { tensor * pipeline * data * contextParallel }

    /// "4 × 4 × 2", or "4 × 4 × 2 × cp 2": the parallel sizes as the reports print them (TP × PP × DP [× CP]).
    public var sizes: String { "\(tensor) × \(pipeline) × \(data)" + (contextParallel > 1 ? " × cp \(contextParallel)" : "") }

    /// How the replicas shard, in words: "none", "distributed optimizer", "ZeRO-2", "FSDP", "HSDP 16 × 4".
    public var shardingDescription: String {
        switch sharding {
        case 0: "none"
        case 3: shardReplicas > 1 ? "HSDP \(shardRanks) × \(shardReplicas)" : "FSDP over \(shardRanks)"
        default: distributedOptimizer ? "distributed optimizer" + (shardReplicas > 1 ? " (\(shardRanks) × \(shardReplicas))" : "")
                                      : "ZeRO-\(sharding) over \(shardRanks)"
        }
    }

    /// The recompute that actually runs: selective recompute drops the attention scores, which a fused kernel never
    /// stores, so with one it recomputes nothing.
    public var effectiveRecompute: Recompute { recompute == .selective && attention.fused ? .none : recompute }

    /// Megatron-LM's context parallelism splits each sequence into 2·cp equal chunks (each rank takes two, balancing
    /// the causal work), so 2·cp must divide the sequence length.
    public static func contextParallelSplits(sequenceLength s: Int, cp: Int) -> Bool { cp == 1 || s % (2 * cp) == 0 }

    /// Ranks holding the same parameters (gradients are reduced over them): dp × cp.
    public var replicaRanks: Int { data * contextParallel }
    /// The ZeRO stage in effect: the distributed optimizer is stage 1.
    public var sharding: Int { max(zeroStage, distributedOptimizer ? 1 : 0) }
    /// Ranks a shard of optimizer state (stage ≥ 1), gradients (≥ 2) or weights (3) is split over.
    public var shardRanks: Int { sharding == 0 ? 1 : (shardGroup ?? replicaRanks) }
    /// Copies of each shard (HSDP replicas); 1 when one shard group spans every replica rank.
    public var shardReplicas: Int { replicaRanks / shardRanks }

    /// Decoder layers held by pipeline rank `i` (all its model chunks together).
    public func layers(onStage i: Int, of model: ModelArchitecture) -> Int { stageLayers?[i] ?? model.layers / pipeline }

    /// Layers of pipeline rank `i` that run full recompute (0 unless recompute is full).
    public func recomputedLayers(onStage i: Int, of model: ModelArchitecture) -> Int {
        guard recompute == .full else { return 0 }
        let layers = layers(onStage: i, of: model)
        return min(recomputeLayers ?? layers, layers)
    }

    /// Share of all layers that run full recompute.
    public func recomputedLayerShare(of model: ModelArchitecture) -> Double {
        guard recompute == .full, model.layers > 0 else { return recompute == .full ? 1 : 0 }
        return Double((0..<pipeline).reduce(0) { $0 + recomputedLayers(onStage: $1, of: model) }) / Double(model.layers)
    }

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
        for (field, value) in [("tp", tensor), ("pp", pipeline), ("dp", data), ("cp", contextParallel),
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
        if contextParallel > 1 && !attention.fused {
            out.append(FieldProblem(field: "cp", expected: "attention: flash or cudnn with cp > 1 (Megatron-LM's context parallelism runs on fused attention), found attention \(attention.rawValue)"))
        }
        if contextParallel > 1 && !Self.contextParallelSplits(sequenceLength: model.sequenceLength, cp: contextParallel) {
            // Megatron-LM splits each sequence into 2·cp chunks so every rank gets an equal share of the causal work.
            out.append(FieldProblem(field: "cp", expected: "2 × cp (2 × \(contextParallel)) to divide seq_length (\(model.sequenceLength))"))
        }
        if !(0...3).contains(zeroStage) {
            out.append(FieldProblem(field: "zero_stage", expected: "0, 1, 2 or 3, found \(zeroStage)"))
        } else if zeroStage == 3 && pipeline > 1 {
            // With pipelining, FSDP keeps a stage's weights gathered across micro-batches (torchtitan's
            // reshard_after_forward=False), which this model does not describe.
            out.append(FieldProblem(field: "zero_stage", expected: "pp 1 with zero_stage 3 (FSDP with pipelining is not modelled), found pp \(pipeline)"))
        } else if zeroStage > 0 && distributedOptimizer {
            out.append(FieldProblem(field: "zero_stage", expected: "either zero_stage or distributed_optimizer (which is ZeRO stage 1), found both"))
        }
        if let group = shardGroup {
            if sharding == 0 {
                out.append(FieldProblem(field: "shard_group", expected: "a ZeRO stage ≥ 1 (zero_stage or distributed_optimizer) to shard over, found none"))
            } else if group < 1 || replicaRanks % group != 0 {
                out.append(FieldProblem(field: "shard_group", expected: "a divisor of dp × cp (\(data) × \(contextParallel) = \(replicaRanks)), found \(group)"))
            }
        }
        if let k = recomputeLayers {
            if recompute != .full {
                out.append(FieldProblem(field: "recompute_layers", expected: "recompute: full (it chooses how many layers recompute), found recompute \(recompute.rawValue)"))
            } else if k < 1 {
                out.append(FieldProblem(field: "recompute_layers", expected: "a positive number of layers per pipeline rank, found \(k)"))
            } else if k % virtualStages != 0 {
                out.append(FieldProblem(field: "recompute_layers", expected: "a multiple of virtual_stages (\(virtualStages)): Megatron-LM's block recompute takes the same count in every model chunk, found \(k)"))
            } else if let most = (0..<max(pipeline, 1)).map({ layers(onStage: $0, of: model) }).max(), k > most, pipeline > 0 {
                out.append(FieldProblem(field: "recompute_layers", expected: "at most the \(most) layers a pipeline rank holds, found \(k)"))
            }
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

extension ParallelLayout: Codable {
    enum CodingKeys: String, CodingKey {
        case tensor, pipeline, data, microBatch, virtualStages, sequenceParallel, distributedOptimizer, recompute, schedule
        case stageLayers, contextParallel, zeroStage, shardGroup, attention, recomputeLayers, precision, gradientReduce
    }

    // The fields added after the first release are written only when they differ from their defaults, so the
    // encodings (and config fingerprints) of 3D layouts stay what they were.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tensor, forKey: .tensor)
        try c.encode(pipeline, forKey: .pipeline)
        try c.encode(data, forKey: .data)
        try c.encode(microBatch, forKey: .microBatch)
        try c.encode(virtualStages, forKey: .virtualStages)
        try c.encode(sequenceParallel, forKey: .sequenceParallel)
        try c.encode(distributedOptimizer, forKey: .distributedOptimizer)
        try c.encode(recompute, forKey: .recompute)
        try c.encode(schedule, forKey: .schedule)
        try c.encodeIfPresent(stageLayers, forKey: .stageLayers)
        if contextParallel != 1 { try c.encode(contextParallel, forKey: .contextParallel) }
        if zeroStage != 0 { try c.encode(zeroStage, forKey: .zeroStage) }
        try c.encodeIfPresent(shardGroup, forKey: .shardGroup)
        if attention != .standard { try c.encode(attention, forKey: .attention) }
        try c.encodeIfPresent(recomputeLayers, forKey: .recomputeLayers)
        if precision != .bf16 { try c.encode(precision, forKey: .precision) }
        if gradientReduce != .fp32 { try c.encode(gradientReduce, forKey: .gradientReduce) }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(tensor: try c.decode(Int.self, forKey: .tensor), pipeline: try c.decode(Int.self, forKey: .pipeline),
                  data: try c.decode(Int.self, forKey: .data), microBatch: try c.decode(Int.self, forKey: .microBatch),
                  virtualStages: try c.decode(Int.self, forKey: .virtualStages),
                  sequenceParallel: try c.decode(Bool.self, forKey: .sequenceParallel),
                  distributedOptimizer: try c.decode(Bool.self, forKey: .distributedOptimizer),
                  recompute: try c.decode(Recompute.self, forKey: .recompute),
                  schedule: try c.decode(PipelineSchedule.self, forKey: .schedule))
        stageLayers = try c.decodeIfPresent([Int].self, forKey: .stageLayers)
        contextParallel = try c.decodeIfPresent(Int.self, forKey: .contextParallel) ?? 1
        zeroStage = try c.decodeIfPresent(Int.self, forKey: .zeroStage) ?? 0
        shardGroup = try c.decodeIfPresent(Int.self, forKey: .shardGroup)
        attention = try c.decodeIfPresent(AttentionKernel.self, forKey: .attention) ?? .standard
        recomputeLayers = try c.decodeIfPresent(Int.self, forKey: .recomputeLayers)
        precision = try c.decodeIfPresent(GEMMPrecision.self, forKey: .precision) ?? .bf16
        gradientReduce = try c.decodeIfPresent(ReducePrecision.self, forKey: .gradientReduce) ?? .fp32
    }
}

/// Byte sizes and conventions behind a memory estimate; printed with every estimate.
public struct MemoryAssumptions: Codable, Sendable, Equatable {
    /// bf16 weights.
    public var weightBytes: Double = 2
    /// fp32 main gradients (Megatron-LM's default with bf16).
    public var gradientBytes: Double = 4
    /// fp32 master weights + Adam m + Adam v.
    public var optimizerBytes: Double = 12
    /// 16-bit activations.
    public var activationBytes: Double = 2
    /// Dropout masks stored at 1 byte per element, as in Korthikanti et al.'s formulas.
    public var dropoutMasks: Bool = true
    /// Logits kept in fp32 for the vocab-parallel cross entropy.
    public var logitBytes: Double = 4

    public init() {}

    public func statements(_ layout: ParallelLayout) -> [String] {
        var s = [
            "mixed-precision Adam: \(Int(weightBytes)) B weights, \(Int(gradientBytes)) B main grads, \(Int(optimizerBytes)) B optimizer state per parameter"
                + (layout.distributedOptimizer ? " (optimizer state sharded with the Megatron distributed optimizer: \(layout.shardingDescription))" : ""),
            "activations per Korthikanti et al. 2022 (arXiv 2205.05198) §4, generalised to any FFN width and SwiGLU; \(Int(activationBytes))-byte activations"
                + (dropoutMasks ? ", 1-byte dropout masks (models with dropout)" : ", no dropout masks")
                + (layout.precision == .fp8 ? "; FP8: the four linear layers' inputs kept in one byte (the fused attention output in bf16 and FP8), weights cached in FP8 with their transposes (2 B per layer parameter)" : ""),
            "recompute \(layout.recompute.rawValue): " + {
                switch layout.recompute {
                case .none: "all activations kept"
                case .selective: "attention scores/softmax (5·a·s²·b term) recomputed, not stored"
                case .full: (layout.recomputeLayers.map { "\($0) layers per pipeline rank recompute (the others keep all activations): " } ?? "")
                    + "only each recomputing layer's input kept, plus one layer's working set during backward"
                }
            }(),
            "schedule \(layout.schedule.rawValue): stage i holds " + {
                switch layout.schedule {
                case .gpipe: "all m micro-batches in flight"
                case .oneFOneB: "min(m, p − i) micro-batches in flight"
                case .interleaved: "min(m, p − i + (p − 1)/v) micro-batch equivalents (Korthikanti §4.2.3)"
                }
            }(),
            "last stage adds \(Int(logitBytes))-byte logits for one micro-batch; tied embeddings keep a copy on the last stage when pp > 1",
            "not included: CUDA context, NCCL and communication buffers, allocator fragmentation",
        ]
        if layout.sequenceParallel { s.append("sequence parallel: norm and dropout activations split over tp") }
        if layout.contextParallel > 1 { s.append("context parallel \(layout.contextParallel): activations and logits split over cp (s / cp tokens per rank)") }
        if layout.attention.fused { s.append("FlashAttention: no s² scores stored, an fp32 log-sum-exp per token and head; selective recompute has nothing left to drop") }
        if layout.zeroStage > 0 {
            let what = ["", "optimizer state", "optimizer state and gradients", "optimizer state, gradients and weights"][layout.zeroStage]
            s.append("ZeRO stage \(layout.zeroStage): \(what) sharded over \(layout.shardRanks) ranks (\(layout.shardingDescription))"
                     + (layout.shardReplicas > 1 ? " (\(layout.shardReplicas) HSDP replicas)" : "")
                     + (layout.zeroStage == 3 ? "; two layers' weights (and gradients) gathered whole at a time (one prefetched), the embedding and head for the whole step" : ""))
        }
        return s
    }
}

/// Memory held by one pipeline rank (one GPU of that stage), in bytes.
public struct StageMemory: Codable, Sendable, Equatable {
    public var stage: Int
    public var layers: Int
    public var parameters: Double
    public var weights: Double
    public var gradients: Double
    public var optimizer: Double
    public var activations: Double
    public var logits: Double
    public var total: Double { weights + gradients + optimizer + activations + logits }
}

/// Per-GPU memory of a model under a parallel layout: every pipeline stage and the peak one.
public struct MemoryEstimate: Codable, Sendable, Equatable {
    public var stages: [StageMemory]
    public var assumptions: [String]
    public var peak: StageMemory { stages.max { $0.total < $1.total }! }

    /// The one memory-fit check (scenario loading, the simulator and the plan search all ask it): nil when every
    /// pipeline stage fits in `usableBytes` per GPU, else the heaviest stage.
    public func overflow(usableBytes: Double) -> MemoryOverflow? {
        let p = peak
        return p.total > usableBytes ? MemoryOverflow(stage: p, usableBytes: usableBytes) : nil
    }

    public init(model m: ModelArchitecture, layout: ParallelLayout, globalBatch: Int,
                assumptions a: MemoryAssumptions = MemoryAssumptions()) {
        let t = Double(layout.tensor), p = layout.pipeline
        let shards = ParameterShards(m, tensorParallel: layout.tensor)
        let perLayerActivations = ActivationMemory.perLayer(m, layout: layout, assumptions: a)
        let m_ = Double(layout.microBatches(globalBatch: globalBatch))
        let sbv = Double(m.sequenceLength * layout.microBatch * m.paddedVocab)
        let perLayerParams = shards.perLayer
        var keepAllLayout = layout
        keepAllLayout.recompute = .none
        let keepAll = ActivationMemory.perLayer(m, layout: keepAllLayout, assumptions: a)

        stages = (0..<p).map { i in
            let layersPerStage = layout.layers(onStage: i, of: m)
            let params = shards.perLayer * Double(layersPerStage) + shards.outsideLayers(first: i == 0, last: i == p - 1, pipeline: p)
            let inFlight: Double = switch layout.schedule {
            case .gpipe: m_
            case .oneFOneB: min(m_, Double(p - i))
            case .interleaved: min(m_, Double(p - i) + Double(p - 1) / Double(layout.virtualStages))
            }
            var activations = perLayerActivations.stored * Double(layersPerStage) * inFlight
            if layout.recompute == .full {
                // Layers beyond `recompute_layers` keep everything (Megatron's block method).
                let kept = Double(layersPerStage - layout.recomputedLayers(onStage: i, of: m))
                activations += kept * (keepAll.stored - perLayerActivations.stored) * inFlight + perLayerActivations.workingSet
            }
            // ZeRO (Rajbhandari et al. 2020 §5): stage 1 shards the optimizer state over the shard group, 2 also
            // the gradients, 3 also the weights — which each layer then gathers whole before it runs; with
            // one layer prefetched, two layers' full weights (and in backward their gradients) are live at once.
            // The root unit (embedding, final norm, head) stays gathered through the step (PyTorch FSDP's root module).
            let outside = shards.outsideLayers(first: i == 0, last: i == p - 1, pipeline: p)
            let shardCount = Double(layout.shardRanks), zero = layout.sharding
            let gathered = zero == 3 ? min(Double(layersPerStage), 2) * perLayerParams + outside : 0
            // FP8 (Transformer Engine) caches each linear weight and its transpose in FP8: 2 bytes per layer parameter.
            let fp8Cache = layout.precision == .fp8 && zero < 3 ? 2 * perLayerParams * Double(layersPerStage) : 0
            return StageMemory(
                stage: i, layers: layersPerStage, parameters: params,
                weights: (zero == 3 ? params / shardCount : params) * a.weightBytes + gathered * a.weightBytes + fp8Cache,
                gradients: (zero >= 2 ? params / shardCount : params) * a.gradientBytes + (zero >= 2 ? gathered * a.gradientBytes : 0),
                optimizer: params * a.optimizerBytes / (zero >= 1 ? shardCount : 1),
                activations: activations,
                logits: i == p - 1 ? sbv / t / Double(layout.contextParallel) * a.logitBytes : 0)
        }
        assumptions = a.statements(layout)
    }
}

/// Activation bytes of one decoder layer for one micro-batch (Korthikanti et al. 2022 §4).
public enum ActivationMemory {
    public struct PerLayer: Sendable, Equatable {
        /// Bytes kept until the layer's backward pass.
        public var stored: Double
        /// Bytes of the layer's full activations (what full recompute materialises again in backward).
        public var workingSet: Double
        /// The softmax output (and its dropout mask and output) on this rank: what selective recompute drops.
        public var attentionScores: Double
    }

    /// With GPT-3 shapes (a·d = h, f = 4h, GELU, dropout) this is exactly Korthikanti's
    /// s·b·h·(10 + 24/t + 5·a·s/(h·t)) bytes, or (s·b·h/t)·(34 + 5·a·s/h) with sequence parallelism.
    public static func perLayer(_ m: ModelArchitecture, layout: ParallelLayout,
                                assumptions a: MemoryAssumptions) -> PerLayer {
        // Context parallelism: every rank holds s / cp tokens of each sequence, and its queries' scores against all s keys.
        let cp = Double(layout.contextParallel)
        let s = Double(m.sequenceLength) / cp, b = Double(layout.microBatch), t = Double(layout.tensor)
        let sbh = s * b * Double(m.hidden), sbA = s * b * Double(m.attentionWidth), sbKV = s * b * Double(m.keyValueWidth)
        let sbf = s * b * Double(m.ffnHidden)
        let scores = Double(m.heads) * s * Double(m.sequenceLength) * b
        let e = a.activationBytes, mask = a.dropoutMasks && m.dropout ? 1.0 : 0.0
        // Not split by tp: the two norm inputs, the QKV input and the MLP input, and two dropout masks.
        let replicated = 4 * e * sbh + mask * 2 * sbh
        // Split by tp: Q and the output-projection input (a wide), K and V (a_kv wide each); FFN inner activations.
        let attention = 2 * e * sbA + 2 * e * sbKV
        let ffn = (m.activation == .swiglu ? 4 : 2) * e * sbf
        // Softmax output (+ dropout mask and dropout output when dropout is on). FlashAttention keeps none of it,
        // only the fp32 log-sum-exp per (token, head) (Dao 2023 §3.1).
        let attentionScores = layout.attention.fused ? 4 * Double(m.heads) * s * b
                                                         : (mask > 0 ? 2 * e + mask : e) * scores
        // FP8 (Transformer Engine): the inputs of the four linear layers are kept for backward in FP8, one byte each —
        // the QKV and FFN-in inputs (h wide, replicated across tp), the projection input (a wide) and the FFN-out input.
        // With fused attention the projection's input is also the attention output O, which the attention backward keeps
        // in bf16, so FP8 adds its one-byte copy there instead of replacing it.
        let fp8Saving = layout.precision == .fp8 ? (e - 1) : 0
        let replicatedShare = (layout.sequenceParallel ? (replicated - fp8Saving * 2 * sbh) / t : replicated - fp8Saving * 2 * sbh)
        let projection = layout.attention.fused ? -sbA : sbA
        let full = replicatedShare + (attention + ffn + attentionScores - fp8Saving * (projection + sbf)) / t
        let stored: Double = switch layout.effectiveRecompute {
        case .none: full
        case .selective: full - attentionScores / t
        case .full: e * sbh / (layout.sequenceParallel ? t : 1)
        }
        return PerLayer(stored: stored, workingSet: full, attentionScores: attentionScores / t)
    }
}

/// A layout that does not fit: the heaviest pipeline stage against the usable memory per GPU.
public struct MemoryOverflow: Sendable, Equatable, CustomStringConvertible {
    public var stage: StageMemory
    public var usableBytes: Double

    static func gib(_ bytes: Double) -> String { "\((bytes / 1_073_741_824 * 10).rounded() / 10)" }

    /// "pipeline stage 0 needs 91.2 GiB (weights …, grads …, optimizer …, activations …, logits …)".
    public var description: String {
        let s = stage, g = Self.gib
        return "pipeline stage \(s.stage) needs \(g(s.total)) GiB (weights \(g(s.weights)), grads \(g(s.gradients)), optimizer \(g(s.optimizer)), activations \(g(s.activations)), logits \(g(s.logits)))"
    }
    public var usableGiB: String { Self.gib(usableBytes) }
}

import ModelKit
import Scenario

/// Megatron-LM command-line arguments (pretrain_gpt.py, real flag names) for one stage of a scenario:
/// how a plan made in GrowthBench runs at real scale.
public struct MegatronArguments: Sendable, Equatable, Codable {
    /// (flag, value or nil for a switch), in the order printed.
    public var arguments: [[String]]
    /// Things Megatron-LM has no flag for, or choices the user must make.
    public var notes: [String]

    public init(stage s: Stage) {
        let m = s.model, l = s.layout
        var a: [[String]] = []
        func flag(_ name: String, _ value: Any? = nil) { a.append(value.map { [name, "\($0)"] } ?? [name]) }
        var notes: [String] = []
        flag("--tensor-model-parallel-size", l.tensor)
        flag("--pipeline-model-parallel-size", l.pipeline)
        if l.virtualStages > 1 { flag("--num-layers-per-virtual-pipeline-stage", m.layers / (l.pipeline * l.virtualStages)) }
        if let stages = l.stageLayers {
            // Megatron-Core takes the first and last ranks' counts and splits the rest evenly.
            let middle = stages.dropFirst().dropLast()
            if Set(middle).count <= 1 {
                if stages.first != middle.first { flag("--decoder-first-pipeline-num-layers", stages.first!) }
                if stages.last != middle.first { flag("--decoder-last-pipeline-num-layers", stages.last!) }
            } else {
                notes.append("uneven stage_layers \(stages) do not have the first/last-rank form Megatron-LM's flags express")
            }
        }
        if l.contextParallel > 1 { flag("--context-parallel-size", l.contextParallel) }
        if l.sequenceParallel { flag("--sequence-parallel") }
        if l.distributedOptimizer || l.zeroStage == 1 { flag("--use-distributed-optimizer") }
        if l.zeroStage >= 2 {
            notes.append("zero_stage \(l.zeroStage) (FSDP-style sharding of \(l.zeroStage == 3 ? "weights and " : "")gradients) has no flag in Megatron-LM's distributed optimizer; run it with PyTorch FSDP2 (torchtitan) or Megatron-Core's custom FSDP.")
        }
        if l.shardGroup != nil && l.shardReplicas > 1 {
            notes.append("shard_group \(l.shardRanks) (HSDP, \(l.shardReplicas) replicas) is set with --num-distributed-optimizer-instances \(l.shardReplicas) in recent Megatron-Core; check your version.")
        }
        // Megatron-Core's attention back ends (Transformer Engine): flash = FlashAttention-2, fused = cuDNN.
        switch l.attention {
        case .standard: flag("--attention-backend", "unfused")   // Megatron-Core's default (auto) would pick a fused one
        case .flash: flag("--attention-backend", "flash")
        case .cudnn: flag("--attention-backend", "fused")
        }
        if s.overlapGradReduce && l.data > 1 { flag("--overlap-grad-reduce") }
        flag("--num-layers", m.layers)
        flag("--hidden-size", m.hidden)
        flag("--num-attention-heads", m.heads)
        if m.kvHeads != m.heads {
            flag("--group-query-attention")
            flag("--num-query-groups", m.kvHeads)
        }
        if m.headDim * m.heads != m.hidden { flag("--kv-channels", m.headDim) }
        flag("--ffn-hidden-size", m.ffnHidden)
        flag("--seq-length", m.sequenceLength)
        flag("--max-position-embeddings", m.sequenceLength)
        if m.activation == .swiglu { flag("--swiglu") }
        flag("--normalization", m.norm == .rmsnorm ? "RMSNorm" : "LayerNorm")
        switch m.position {
        case .learned: flag("--position-embedding-type", "learned_absolute")
        case .rope: flag("--position-embedding-type", "rope")
        case .xpos:
            flag("--position-embedding-type", "rope")
            notes.append("xPos (FLM-101B) has no Megatron-LM flag: rope is emitted; the exponential decay needs the FLM code base.")
        }
        if !m.tiedEmbeddings { flag("--untie-embeddings-and-output-weights") }
        if !m.linearBiases { flag("--disable-bias-linear") }
        if m.paddedVocab != m.vocab {
            let multiple = m.paddedVocab / l.tensor
            let divisor = [1024, 512, 256, 128, 64, 32, 16, 8, 4, 2, 1].first { multiple % $0 == 0 && (m.vocab + $0 * l.tensor - 1) / ($0 * l.tensor) * ($0 * l.tensor) == m.paddedVocab }
            if let divisor { flag("--make-vocab-size-divisible-by", divisor) }
            else { notes.append("padded vocabulary \(m.paddedVocab) is not what Megatron-LM's padding gives for vocab \(m.vocab) at tp \(l.tensor)") }
        }
        flag("--micro-batch-size", l.microBatch)
        flag("--global-batch-size", s.globalBatch)
        let samples = Int((s.tokens / Double(m.sequenceLength)).rounded(.up))
        flag("--train-samples", samples)
        if let lr = s.lrSchedule {
            flag("--lr", lr.peak)
            flag("--min-lr", lr.minimum)
            flag("--lr-decay-style", lr.decay.rawValue)
            if lr.warmupSamples > 0 { flag("--lr-warmup-samples", Int(lr.warmupSamples)) }
            flag("--lr-decay-samples", samples)
        } else {
            notes.append("the scenario gives no learning-rate schedule for this stage: add --lr, --min-lr, --lr-decay-style")
        }
        flag("--bf16")
        if !m.dropout {
            flag("--attention-dropout", 0)
            flag("--hidden-dropout", 0)
        }
        if l.gradientReduce == .bf16 { flag("--grad-reduce-in-bf16") }
        if l.precision == .fp8 {
            flag("--fp8-format", "hybrid")      // Transformer Engine: E4M3 forward, E5M2 gradients
        }
        switch l.recompute {
        case .none: break
        case .selective: flag("--recompute-activations")
        case .full:
            flag("--recompute-granularity", "full")
            if let k = l.recomputeLayers {
                flag("--recompute-method", "block")
                flag("--recompute-num-layers", k / l.virtualStages)      // per model chunk
            } else {
                flag("--recompute-method", "uniform")
                flag("--recompute-num-layers", 1)
            }
        }
        notes.append("data parallel size \(l.data) follows from the world size (\(l.gpus) GPUs) / (tp × pp\(l.contextParallel > 1 ? " × cp" : "")); launch with that many ranks.")
        if l.schedule == .gpipe { notes.append("Megatron-LM has no GPipe schedule; it runs 1F1B.") }
        arguments = a
        self.notes = notes
    }

    /// One flag per line, ready to paste after `torchrun … pretrain_gpt.py`.
    public var shell: String {
        arguments.map { $0.joined(separator: " ") }.joined(separator: " \\\n    ")
    }
}

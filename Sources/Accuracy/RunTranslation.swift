import Foundation
import Hardware
import ModelKit

/// What the simulator is asked for one published run: the model, the layout, the batch and the system.
public struct SimulationCase: Sendable, Equatable {
    public var model: ModelArchitecture
    public var layout: ParallelLayout
    public var globalBatch: Int
    public var system: SystemProfile
    /// Choices the table did not state and the translation made, printed with the row.
    public var assumptions: [String]
}

/// Why a published run is not simulated; every excluded row is listed with its reason.
public struct Exclusion: Error, Sendable, Equatable, Codable {
    public var id: String
    public var source: String
    public var reason: String
}

/// Turns a published run into a simulation case by fixed rules — the same for every row, none tuned per row:
///
/// - **Model**: the row's shapes; Llama family = SwiGLU, RMSNorm, RoPE, untied embeddings, no biases, no dropout;
///   GPT-3 = GELU, LayerNorm, learned positions, tied, biases, dropout; Nemotron-4 = squared-ReLU MLP (two matrices,
///   priced like GELU), LayerNorm, RoPE, untied, no biases, no dropout. Vocabulary padded to a multiple of 128 × tp on Megatron stacks (NeMo, dgxc).
/// - **Layout**: tp, pp, cp, dp as published; virtual stages from the notes' "VP n"; sequence parallelism wherever
///   tp > 1 (NeMo recipes and torchtitan's TP plan both use it); Megatron stacks use the distributed optimizer;
///   an `fsdp` column is ZeRO-3 with that shard group (× cp on torchtitan, whose FSDP mesh folds cp in), replicas HSDP.
/// - **Precision**: FP8 rows (Transformer Engine, torchao Float8) run the linear layers' GEMMs in FP8; attention and
///   the logits stay bf16.
/// - **Attention**: fused for every row: the `attention_kernel` column where it names one (SDPA → FlashAttention-2,
///   Transformer Engine → cuDNN), else cuDNN on NeMo/Megatron and MaxText, FlashAttention-2 on PyTorch stacks.
/// - **Batch**: an empty micro-batch is 1, an empty global batch one micro-batch per data-parallel rank.
/// - **Network**: a rate the table states is the node's (fms-fsdp "with 400Gbps"); otherwise the system profile's
///   (DGX: 8 NICs per node, 200 Gb/s each on A100, 400 Gb/s on H100).
/// - **Gradient reduction**: fp32 (Megatron main gradients, torchtitan's reduce_dtype), bf16 for fms-fsdp (its
///   mixed-precision policy's reduce_dtype).
/// - **torch.compile** is not modelled: eager and compiled PyTorch rows are priced alike (fused memory-bound traffic);
///   the fms-fsdp pairs that differ only by compile show what this leaves.
/// - **Recompute**: as published; where the source does not say, the framework's default (none on Megatron-LM and
///   NeMo, full on MaxText), so the memory model decides nothing about time; a row whose memory estimate then exceeds
///   the GPU's is shown as such.
public enum RunTranslation {
    public static func translate(_ r: PublishedRun, systems: SystemCatalog) -> Result<SimulationCase, Exclusion> {
        func exclude(_ why: String) -> Result<SimulationCase, Exclusion> { .failure(Exclusion(id: r.id, source: r.source, reason: why)) }

        if r.precision.isEmpty { return exclude("precision not stated by the source") }
        let fp8 = r.precision.lowercased().hasPrefix("fp8")
        guard r.metric == "step_time_s" || r.metric == "tokens_per_second_per_gpu" else {
            return exclude("metric \(r.metric): TFLOP/s conventions differ between sources (causal halving, recompute); step time and tokens/s only")
        }
        if r.notes.contains("average over the whole") { return exclude("a production-run average over 2.2T tokens, not a benchmark step (sharding and batch not stated)") }

        let systemName: String
        let gpu = r.gpu.uppercased()
        if gpu.contains("HBM2E") { return exclude("GPU \(r.gpu): a power-capped HBM2e H100 variant with no datasheet in the catalog") }
        if gpu == "H100-80GB" { return exclude("GPU \(r.gpu): SXM or PCIe not stated (989 or 756 TFLOP/s bf16)") }
        if gpu.hasPrefix("H100") { systemName = "dgx-h100" }
        else if gpu.hasPrefix("A100") && gpu.contains("80") { systemName = "dgx-a100-80gb" }
        else { return exclude("GPU \(r.gpu) has no system profile") }
        guard var system = systems.system(named: systemName) else { return exclude("system profile \(systemName) is not in the catalog") }
        var assumptions: [String] = []
        if let perNode = r.gpusPerNode, perNode != system.gpusPerNode {
            return exclude("\(perNode) GPUs per node; the \(systemName) profile has \(system.gpusPerNode)")
        }
        // A network the table states ("A100 80G 128 GPUs with 400Gbps" in fms-fsdp's column headers, quoted in the
        // notes) is read as the node's: one 400 Gb/s link per node.
        if let rate = statedNetworkGbit(r.notes) {
            system.nicsPerNode = 1
            system.nicGbitPerSecond = rate
            assumptions.append("network \(Int(rate)) Gb/s per node (the table's header)")
        } else if r.gpusPerNode == nil || r.source == "torchtitan" && gpu.hasPrefix("A100") {
            assumptions.append("network not stated: the \(systemName) profile's \(system.nicsPerNode) × \(Int(system.nicGbitPerSecond)) Gb/s per node")
        }

        // The model.
        let megatronStack = r.source == "nemo" || (r.source == "dgxc" && !r.notes.contains("MaxText"))
        let family = r.model.lowercased()
        var model = ModelArchitecture(layers: r.layers, hidden: r.hidden, heads: r.heads, kvHeads: r.kvHeads,
                                      ffnHidden: r.ffnHidden, vocab: r.vocab ?? 0, sequenceLength: r.sequenceLength)
        if family.contains("llama") {
            model.activation = .swiglu; model.norm = .rmsnorm; model.position = .rope
            model.tiedEmbeddings = false; model.linearBiases = false; model.dropout = false
        } else if family.hasPrefix("gpt3") {
            model.activation = .gelu; model.norm = .layernorm; model.position = .learned
        } else if family.hasPrefix("nemotron-4") {
            model.activation = .gelu; model.norm = .layernorm; model.position = .rope
            model.tiedEmbeddings = false; model.linearBiases = false; model.dropout = false
        } else {
            return exclude("model family of \(r.model) (activation, norm, embeddings) not described")
        }
        guard let vocab = r.vocab else { return exclude("vocabulary not stated for \(r.model)") }
        if megatronStack {
            let multiple = 128 * r.tensor
            model.paddedVocab = (vocab + multiple - 1) / multiple * multiple
        }

        // The layout.
        var layout = ParallelLayout(tensor: r.tensor, pipeline: r.pipeline, data: r.data, microBatch: r.microBatch ?? 1)
        if r.microBatch == nil { assumptions.append("micro-batch 1 (not stated)") }
        layout.contextParallel = r.context
        layout.precision = fp8 ? .fp8 : .bf16
        if r.source == "fms-fsdp" { layout.gradientReduce = .bf16 }
        if r.compile == "no" { assumptions.append("eager PyTorch (no torch.compile) priced like a fused stack") }
        layout.sequenceParallel = r.tensor > 1
        // The kernel the row names (SDPA → FlashAttention-2; Transformer Engine → cuDNN: TE's "flash" setting runs
        // cuDNN's fused attention on Hopper when available, its preferred back end there), else its stack's.
        let kernel = r.attentionKernel.lowercased()
        layout.attention = kernel.hasPrefix("sdpa") ? .flash : kernel.contains("(te") ? .cudnn
            : (megatronStack || r.notes.contains("MaxText") ? .cudnn : .flash)
        if let vp = virtualStages(r.notes), vp > 1 {
            layout.virtualStages = vp
            layout.schedule = .interleaved
        }
        if let fsdp = r.fsdp, fsdp > 1 || r.source == "torchtitan" {
            layout.zeroStage = 3
            let group = r.source == "torchtitan" ? fsdp * r.context : fsdp
            if group < layout.replicaRanks { layout.shardGroup = group }
        } else if megatronStack && layout.replicaRanks > 1 {
            layout.distributedOptimizer = true
        }
        if r.source == "fms-fsdp" && r.checkpointing == "selective" {
            // fms-fsdp's selective checkpointing wraps a fraction of the blocks (its `selective_checkpointing`
            // setting), which the table does not state.
            return exclude("fms-fsdp selective checkpointing: the fraction of blocks checkpointed is not stated")
        }
        let globalBatch = r.globalBatch ?? (layout.microBatch * r.data)
        switch r.checkpointing {
        case "":
            // Not stated: the framework's default, not a guess from the memory model (which would make it a hidden
            // knob): Megatron-LM / NeMo recompute nothing unless asked; MaxText's default remat policy is full.
            layout.recompute = r.notes.contains("MaxText") ? .full : .none
            assumptions.append(RunTranslation.inferredRecompute + " \(layout.recompute.rawValue) (the framework's default)")
        case "none": layout.recompute = .none
        case "selective": layout.recompute = .selective
        case "selective-layer", "selective-op":
            // torchtitan: `selective-layer` checkpoints every other block (ac_freq 2); `selective-op` saves every
            // other matmul output and recomputes the rest of the forward — both about half the forward again.
            layout.recompute = .full
            layout.recomputeLayers = max(1, layout.layers(onStage: 0, of: model) / 2)
            assumptions.append("\(r.checkpointing) as full recompute of half the layers")
        case "full": layout.recompute = .full
        default: return exclude("activation checkpointing '\(r.checkpointing)' is not described")
        }
        if r.globalBatch == nil { assumptions.append("global batch \(globalBatch) = micro-batch × dp (not stated)") }
        let problems = layout.problems(for: model, globalBatch: globalBatch)
        if !problems.isEmpty { return exclude("layout: " + problems.map(\.description).joined(separator: "; ")) }
        if layout.gpus != r.gpus { return exclude("tp × pp × cp × dp = \(layout.gpus), but the row has \(r.gpus) GPUs") }
        return .success(SimulationCase(model: model, layout: layout, globalBatch: globalBatch, system: system, assumptions: assumptions))
    }

    /// How a row's assumptions say its recompute was inferred, not published.
    public static let inferredRecompute = "recompute not stated:"

    /// "with 400Gbps" / "with 800 Gbps" quoted from a table header in the notes.
    static func statedNetworkGbit(_ notes: String) -> Double? {
        guard let range = notes.range(of: #"with (\d+) ?Gbps"#, options: .regularExpression) else { return nil }
        return Double(String(notes[range].filter(\.isNumber)))
    }

    /// "VP 5" in the notes (Megatron's virtual pipeline size as the source printed it); nil for "VP n/a" or none.
    static func virtualStages(_ notes: String) -> Int? {
        guard let range = notes.range(of: #"VP (\d+)"#, options: .regularExpression) else { return nil }
        return Int(notes[range].dropFirst(3))
    }

}

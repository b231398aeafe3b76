import Reporting
import ModelKit

extension InspectReport {
    /// The human-readable `inspect` output: one column per stage, a total column, then comparisons and
    /// the assumptions behind every figure.
    public func renderText() -> String {
        var out: [String] = []
        out.append("Scenario \(scenario) (\(path))")
        out.append("Cluster: \(nodes) nodes × \(gpusPerNode) \(gpu) = \(nodes * gpusPerNode) GPUs")
        out.append("")

        var t = TextTable(header: ["quantity"] + stages.map(\.name) + (stages.count > 1 ? ["total"] : []))
        let multi = stages.count > 1
        func row(_ label: String, _ cell: (StageInspection) -> String, total: String = "") {
            t.add([label] + stages.map(cell) + (multi ? [total] : []))
        }
        row("layers × hidden", { "\($0.model.layers) × \($0.model.hidden)" })
        row("heads × head dim", { "\($0.model.heads) × \($0.model.headDim)" })
        row("FFN (activation)", { "\($0.model.ffnHidden) (\($0.model.activation.rawValue))" })
        row("vocab (padded)", { "\($0.model.vocab) (\($0.model.paddedVocab))" })
        row("norm, position", { "\($0.model.norm.rawValue), \($0.model.position.rawValue)" })
        row("embeddings, biases", { "\($0.model.tiedEmbeddings ? "tied" : "untied"), \($0.model.linearBiases ? "biases" : "no biases")" })
        t.separator()
        row("TP × PP × DP", { $0.layout.sizes })
        row("micro-batch, m per pipeline", { "\($0.layout.microBatch), \($0.microBatchesPerPipeline)" })
        row("schedule (v)", { "\($0.layout.schedule.rawValue) (\($0.layout.virtualStages))" })
        row("recompute", { $0.layout.recompute.rawValue })
        row("seq. parallel, sharding", { "\($0.layout.sequenceParallel ? "on" : "off"), \($0.layout.shardingDescription)" })
        row("attention, GEMM precision", { "\($0.layout.attention.rawValue), \($0.layout.precision.rawValue)" })
        t.separator()
        row("tokens", { Format.count($0.tokens) }, total: Format.count(totalTokens))
        row("batch (sequences × seq)", { "\($0.globalBatchSequences) × \($0.model.sequenceLength)" })
        row("batch tokens", { Format.count($0.batchTokens) })
        row("optimizer steps", { Format.grouped($0.steps) }, total: Format.grouped(stages.map(\.steps).reduce(0, +)))
        t.separator()
        row("params", { Format.count(Double($0.parameters.total)) })
        row("  non-embedding", { Format.count(Double($0.parameters.nonEmbedding)) })
        row("  embeddings + readout", { Format.count(Double($0.parameters.embeddings)) })
        if stages.contains(where: { $0.comparisons.contains { $0.quantity == "params" } }) {
            row("  paper", { s in s.comparisons.first { $0.quantity == "params" }.map { Format.count($0.paper) } ?? "—" })
            row("  Δ vs paper", { s in s.comparisons.first { $0.quantity == "params" }.map { Format.signedPercent($0.relativeDelta, digits: 2) } ?? "—" })
        }
        t.separator()
        row("FLOPs/token 6N", { Format.giga($0.flopsPerToken.sixN) })
        row("FLOPs/token per-op model", { Format.giga($0.flopsPerToken.trainingModel) })
        row("FLOPs/token per-op hardware", { Format.giga($0.flopsPerToken.trainingHardware) })
        t.separator()
        row("zettaFLOPs 6·N·D", { Format.zetta($0.trainingFlops.sixND) }, total: Format.zetta(totalFlops.sixND))
        row("zettaFLOPs per-op model", { Format.zetta($0.trainingFlops.exactModel) }, total: Format.zetta(totalFlops.exactModel))
        row("zettaFLOPs per-op hardware", { Format.zetta($0.trainingFlops.exactHardware) }, total: Format.zetta(totalFlops.exactHardware))
        row("zettaFLOPs Megatron 72", { Format.zetta($0.trainingFlops.megatron72) }, total: Format.zetta(totalFlops.megatron72))
        row("zettaFLOPs Megatron 96", { Format.zetta($0.trainingFlops.megatron96) }, total: Format.zetta(totalFlops.megatron96))
        row("cost index (mid ± half)", { "\(Format.zetta($0.trainingFlops.costIndexMidpoint)) ± \(Format.zetta($0.trainingFlops.costIndexHalfWidth))" },
            total: "\(Format.zetta(totalFlops.costIndexMidpoint)) ± \(Format.zetta(totalFlops.costIndexHalfWidth))")
        t.separator()
        row("memory/GPU peak pipeline stage", { "\($0.memory.peakStage)" })
        func peak(_ s: StageInspection) -> StageMemory { s.memory.stages[s.memory.peakStage] }
        row("  weights", { Format.gib(peak($0).weights) })
        row("  gradients", { Format.gib(peak($0).gradients) })
        row("  optimizer state", { Format.gib(peak($0).optimizer) })
        row("  activations", { Format.gib(peak($0).activations) })
        row("  logits", { Format.gib(peak($0).logits) })
        row("  total", { Format.gib($0.memory.peakBytes) })
        row("  usable on GPU", { Format.gib($0.memory.usableBytes) })
        row("  fits", { $0.memory.fits ? "yes" : "NO" })
        out.append(t.render())

        if multi {
            out.append("")
            out.append("Growth between stages")
            for (a, b) in zip(stages, stages.dropFirst()) {
                out.append("  \(a.name) → \(b.name): " + (b.growthFromPrevious.isEmpty ? "no shape change" : b.growthFromPrevious.joined(separator: ", ")))
            }
        }

        if !totalComparisons.isEmpty {
            out.append("")
            out.append("Paper versus model (whole run)")
            var c = TextTable(header: ["quantity", "paper", "model", "Δ", "method", "source"])
            for x in totalComparisons {
                c.add([x.quantity, Format.fixed(x.paper, 2), Format.fixed(x.model, 2),
                       Format.signedPercent(x.relativeDelta), x.method, x.source])
            }
            out.append(c.render())
        }

        let notes = assumptions + stages.flatMap { s in s.assumptions.map { "[\(s.name)] \($0)" } }
        if !notes.isEmpty {
            out.append("")
            out.append("Scenario assumptions")
            out += notes.map { "  - \($0)" }
        }
        var seen = Set<String>()
        let memoryNotes = stages.flatMap(\.memory.assumptions).filter { seen.insert($0).inserted }
        out.append("")
        out.append("How the figures are computed")
        out += [
            "  - params: exact count; embedding/readout use the padded vocabulary; LayerNorm = gain + bias, RMSNorm = gain",
            "  - FLOPs/token per-op: matmul FLOPs per op (QKV, QKᵀ, ×V over the full s×s square, output, FFN, logits); backward = 2 × forward; hardware adds the layout's recompute",
            "  - Megatron: c·T·l·h²·(1 + s/6h + V/16lh) (Narayanan et al. 2021 Eq. 3), c = 72 (no recompute) or 96 (full); cost index = midpoint ± half (FLM-101B §4)",
        ]
        out += memoryNotes.map { "  - memory: \($0)" }
        return out.joined(separator: "\n")
    }
}

import ClusterSim
import Reporting

extension SimulateReport {
    public func renderText() -> String {
        var out = ["Scenario \(scenario) (\(path))",
                   "System \(system.name): \(system.gpusPerNode) × \(system.gpu.name) per node, \(system.nicsPerNode) × \(Format.fixed(system.nicGbitPerSecond, 0)) Gb/s NICs", ""]
        var t = TextTable(header: ["quantity"] + stages.map(\.stage))
        func row(_ label: String, _ cell: (StageSimulation) -> String) { t.add([label] + stages.map(cell)) }
        func ms(_ x: Double) -> String { Format.fixed(x * 1000, 1) + " ms" }
        func seconds(_ x: Double) -> String { Format.fixed(x, 3) + " s" }
        row("TP × PP × DP (GPUs)", { "\($0.layout.sizes) (\($0.result.gpus))" })
        row("micro-batch, m, v", { "\($0.layout.microBatch), \($0.result.microBatches), \($0.layout.virtualStages)" })
        row("schedule, recompute", { "\($0.layout.schedule.rawValue), \($0.layout.recompute.rawValue)" + ($0.layout.recomputeLayers.map { " (\($0) layers/rank)" } ?? "") })
        row("sharding", { $0.layout.shardingDescription })
        row("attention, GEMM precision", { "\($0.layout.attention.rawValue), \($0.layout.precision.rawValue)" })
        row("rank order, grad overlap", { "\($0.rankOrder.rawValue), \($0.overlapGradReduce ? "on" : "off")" })
        row("links TP / DP", { "\($0.result.placement.tensorLink.kind) / \($0.result.placement.dataLink.kind)" })
        t.separator()
        row("iteration time", { seconds($0.result.iterationTime) })
        row("tokens/s", { Format.count($0.result.tokensPerSecond) })
        row("model TFLOP/s per GPU (MFU)", { "\(Format.fixed($0.result.modelTFLOPsPerGPU, 1)) (\(Format.percent($0.result.mfu)))" })
        row("hardware TFLOP/s per GPU (HFU)", { "\(Format.fixed($0.result.hardwareTFLOPsPerGPU, 1)) (\(Format.percent($0.result.hfu)))" })
        if stages.contains(where: { !$0.comparisons.isEmpty }) {
            row("  paper TFLOP/s per GPU", { s in s.comparisons.first.map { Format.fixed($0.paper, 0) } ?? "—" })
            row("  Δ vs paper", { s in s.comparisons.first.map { Format.signedPercent($0.relativeDelta) } ?? "—" })
        }
        row("pipeline bubble (mean idle)", { Format.percent($0.result.bubbleFraction, digits: 2) })
        t.separator()
        row("critical rank: compute", { seconds($0.result.breakdown.compute) })
        row("critical rank: TP comm (blocking)", { seconds($0.result.breakdown.tensorComm) })
        row("critical rank: idle (bubble, waits)", { seconds($0.result.breakdown.idle) })
        row("critical rank: tail (DP sync, optimizer)", { seconds($0.result.breakdown.tail) })
        row("exposed TP comm (what-if free)", { ms($0.result.breakdown.exposedTensorComm) })
        row("exposed PP comm (what-if free)", { ms($0.result.breakdown.exposedPipelineComm) })
        row("exposed DP comm (what-if free)", { ms($0.result.breakdown.exposedDataComm) })
        row("optimizer step", { ms($0.result.breakdown.optimizerStep) })
        t.separator()
        row("peak memory/GPU (stage)", { "\(Format.gib($0.result.memory.peak.total)) (\($0.result.memory.peak.stage))" })
        row("usable memory/GPU", { Format.gib($0.result.usableMemoryBytes) })
        row("DES tasks, events", { "\(Format.grouped($0.result.tasks)), \(Format.grouped($0.result.events))" })
        out.append(t.render())
        out.append("")
        out.append("MFU counts model FLOPs (forward + backward, no recompute); HFU adds the recomputed forward work.")
        if stages.contains(where: { $0.layout.precision == .fp8 }) {
            out.append("MFU and HFU are against the bf16 peak (\(Format.fixed(system.gpu.peakTFLOPs, 0)) TFLOP/s) for every stage; FP8 linear layers run against the FP8 peak (\(Format.fixed(system.gpu.peakFP8TFLOPs ?? 0, 0)) TFLOP/s), so an FP8 stage's MFU may pass what bf16 allows.")
        }
        out.append("FLOPs per token are ModelKit's per-op counts (attention over the full s×s square, as Megatron-LM).")
        out.append("Efficiency knobs: Data/hardware/systems.yaml (\(system.name)); sources: \(system.sources.joined(separator: "; "))")
        return out.joined(separator: "\n")
    }
}

import Reporting

extension RunEstimate {
    public func renderText() -> String {
        var out = ["Estimate for \(scenario) (\(path)) on \(gpus) GPUs (\(system)), failures \(failures ? "on" : "off")", ""]
        let multi = stages.count > 1
        var t = TextTable(header: ["quantity"] + stages.map(\.stage) + (multi ? ["total"] : []))
        func row(_ label: String, _ cell: (StageEstimate) -> String, total: String = "") {
            t.add([label] + stages.map(cell) + (multi ? [total] : []))
        }
        func hours(_ s: Double) -> String { Format.fixed(s / 3600, 2) + " h" }
        func inDays(_ s: Double) -> String { Format.fixed(s / 86400, 2) }
        row("parameters", { Format.count(Double($0.parameters)) })
        row("tokens", { Format.count($0.tokens) }, total: Format.count(tokens))
        row("optimizer steps", { Format.grouped($0.steps) }, total: Format.grouped(stages.map(\.steps).reduce(0, +)))
        row("iteration (simulated)", { Format.fixed($0.iterationSeconds, 2) + " s" })
        row("tokens/s", { Format.count($0.tokensPerSecond) })
        row("hardware TFLOP/s per GPU", { Format.fixed($0.hardwareTFLOPsPerGPU, 1) })
        t.separator()
        row("compute time (days)", { inDays($0.computeSeconds) }, total: inDays(stages.map(\.computeSeconds).reduce(0, +)))
        row("checkpoint write / interval", { "\(Format.fixed($0.checkpointWriteSeconds, 0)) s / \(hours($0.checkpointIntervalSeconds))" })
        row("checkpoints (time)", { "\(Int($0.reliability.checkpoints)) (\(hours($0.reliability.checkpointSeconds)))" }, total: hours(shares.checkpoints))
        row("expected interruptions", { Format.fixed($0.reliability.expectedFailures, 1) },
            total: Format.fixed(stages.map(\.reliability.expectedFailures).reduce(0, +), 1))
        row("lost work + restarts", { hours($0.reliability.lostWorkSeconds + $0.reliability.restartSeconds) }, total: hours(shares.failures))
        row("growth transition before", { hours($0.transitionSeconds) }, total: hours(shares.transition))
        row("wall time (days)", { inDays($0.wallSeconds) }, total: inDays(wallSeconds))
        if stages.contains(where: { $0.paperDays != nil }) || paperDays != nil {
            row("  paper (days)", { $0.paperDays.map { Format.fixed($0, 2) } ?? "—" }, total: paperDays.map { Format.fixed($0, 2) } ?? "—")
            row("  Δ vs paper", { s in s.paperDays.map { Format.signedPercent(s.days / $0 - 1) } ?? "—" },
                total: paperDays.map { Format.signedPercent(days / $0 - 1) } ?? "—")
        }
        t.separator()
        row("GPU-hours", { Format.count($0.spend.gpuHours) }, total: Format.count(spend.gpuHours))
        row("cost (USD)", { "$" + Format.count($0.spend.usd) }, total: "$" + Format.count(spend.usd))
        row("energy (MWh)", { Format.fixed($0.spend.energyMWh, 1) }, total: Format.fixed(spend.energyMWh, 1))
        row("tCO2e", { Format.fixed($0.spend.tCO2e, 1) }, total: Format.fixed(spend.tCO2e, 1))
        t.separator()
        row("zettaFLOPs 6·N·D", { Format.zetta($0.flops.sixND) }, total: Format.zetta(flops.sixND))
        row("zettaFLOPs per-op hardware", { Format.zetta($0.flops.hardware) }, total: Format.zetta(flops.hardware))
        row("cost index (72/96 midpoint)", { "\(Format.zetta($0.flops.costIndex.midpoint)) ± \(Format.zetta($0.flops.costIndex.halfWidth))" },
            total: "\(Format.zetta(flops.costIndex.midpoint)) ± \(Format.zetta(flops.costIndex.halfWidth))")
        out.append(t.render())

        out.append("")
        out.append("Where the time goes (days): compute \(inDays(shares.compute)), communication \(inDays(shares.communication)), pipeline bubble \(inDays(shares.bubble)), failures \(inDays(shares.failures)), checkpoints \(inDays(shares.checkpoints)), transitions \(inDays(shares.transition))")
        var papers: [String] = []
        if let d = paperDays { papers.append("days: paper \(Format.fixed(d, 2)), model \(Format.fixed(days, 2)) (\(Format.signedPercent(days / d - 1)))") }
        if let usd = paperUSD { papers.append("budget: paper $\(Format.count(usd)), model $\(Format.count(spend.usd)) at $\(pricePerGPUHour)/GPU-hour (\(Format.signedPercent(spend.usd / usd - 1)))") }
        if let z = paperCostZettaFLOPs {
            papers.append("cost index: paper \(Format.fixed(z, 2)) zettaFLOPs; model 6·N·D \(Format.zetta(flops.sixND)) (\(Format.signedPercent(flops.sixND / 1e21 / z - 1))), Megatron midpoint \(Format.zetta(flops.costIndex.midpoint)) (\(Format.signedPercent(flops.costIndex.midpoint / 1e21 / z - 1)))")
        }
        if !papers.isEmpty {
            out.append("")
            out.append("Paper versus model")
            out += papers.map { "  - \($0)" }
        }
        out.append("")
        out.append("Assumptions")
        out += assumptions.map { "  - \($0)" }
        return out.joined(separator: "\n")
    }
}

import Reporting

extension RunComparison {
    public func renderText() -> String {
        var out = ["Compare A = \(a.scenario) with B = \(b.scenario) (failures \(a.failures ? "on" : "off"))", ""]
        var t = TextTable(header: ["stage", "params", "tokens", "tokens/s", "days", "GPU-hours", "USD", "hardware zettaFLOPs"])
        func add(_ prefix: String, _ e: RunEstimate) {
            for s in e.stages {
                t.add(["\(prefix) \(s.stage)", Format.count(Double(s.parameters)), Format.count(s.tokens), Format.count(s.tokensPerSecond),
                       Format.fixed(s.days, 2), Format.count(s.spend.gpuHours), "$" + Format.count(s.spend.usd), Format.zetta(s.flops.hardware)])
            }
            t.add(["\(prefix) total", "", Format.count(e.tokens), "", Format.fixed(e.days, 2), Format.count(e.spend.gpuHours),
                   "$" + Format.count(e.spend.usd), Format.zetta(e.flops.hardware)])
            t.separator()
        }
        add("A", a)
        add("B", b)
        out.append(t.render())
        out.append("")
        out.append("A saves \(Format.percent(timeSaving)) of B's wall time (speedup \(Format.fixed(speedup, 2))×), \(Format.percent(gpuHourSaving)) of its GPU-hours and \(Format.percent(flopSaving)) of its hardware FLOPs.")
        out.append("The paper's arithmetic (all of A's \(Format.count(a.tokens)) tokens at A's final-stage throughput, \(Format.count(a.stages.last!.tokensPerSecond)) tokens/s): B ≈ \(Format.fixed(papersMethodDays, 2)) days of compute, a saving of \(Format.percent(papersMethodTimeSaving)).")
        var paper: [String] = []
        if let s = paperTimeSaving {
            paper.append("time saving: paper \(Format.percent(s, digits: 0)), simulated \(Format.percent(timeSaving)) (\((timeSaving - s) >= 0 ? "+" : "")\(Format.fixed(100 * (timeSaving - s), 1)) points), paper's method \(Format.percent(papersMethodTimeSaving))")
        }
        if let x = paperSpeedup { paper.append("speedup: paper \(Format.fixed(x, 2))×, simulated \(Format.fixed(speedup, 2))×") }
        if let d = paperScratchDays {
            paper.append("from-scratch days: paper \(Format.fixed(d, 2)) (estimated), simulated B \(Format.fixed(b.days, 2)) (\(Format.signedPercent(b.days / d - 1))), paper's method on the simulator \(Format.fixed(papersMethodDays, 2)) (\(Format.signedPercent(papersMethodDays / d - 1)))")
        }
        if !paper.isEmpty {
            out.append("")
            out.append("Paper versus model")
            out += paper.map { "  - \($0)" }
        }
        return out.joined(separator: "\n")
    }
}

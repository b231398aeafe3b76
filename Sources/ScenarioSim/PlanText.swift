import ModelKit
import Reporting

extension PlanReport {
    public func renderText() -> String {
        var out = ["Plan search: scenario \(scenario), stage \(stage), \(gpus) GPUs",
                   "\(enumerated) layouts enumerated: \(invalid) invalid, \(overMemory) over GPU memory, \(simulated) simulated, \(pruned) skipped (their compute alone is slower than the \(top.count)th best and the scenario's layout), in \(Format.fixed(searchSeconds, 2)) s", ""]
        var t = TextTable(header: ["rank", "TP", "PP", "CP", "DP", "b", "v", "recompute", "SP", "sharding", "attention", "iteration", "tokens/s", "MFU", "HFU", "bubble", "memory"])
        func cells(_ rank: String, _ c: PlanCandidate) -> [String] {
            let l = c.layout
            let sharding = l.shardingDescription
            return [rank, "\(l.tensor)", "\(l.pipeline)", "\(l.contextParallel)", "\(l.data)", "\(l.microBatch)", "\(l.virtualStages)",
                    l.recompute.rawValue, l.sequenceParallel ? "on" : "off", sharding, l.attention.rawValue,
                    Format.fixed(c.iterationTime, 2) + " s", Format.count(c.tokensPerSecond), Format.percent(c.mfu),
                    Format.percent(c.hfu), Format.percent(c.bubbleFraction), Format.gib(c.peakMemoryBytes)]
        }
        for (i, c) in top.enumerated() { t.add(cells("\(i + 1)", c)) }
        if let own = scenarioLayout, let rank = scenarioRank {
            t.separator()
            t.add(cells("#\(rank) (scenario)", own))
        }
        out.append(t.render())
        out.append("")
        if let own = scenarioLayout, let rank = scenarioRank, let best = top.first {
            out.append("The scenario's layout ranks \(rank) of \(simulated + pruned), at \(Format.percent(own.tokensPerSecond / best.tokensPerSecond)) of the best layout's throughput.")
        } else {
            out.append("The scenario's layout is not among the simulated layouts (invalid or over memory under this search's rules).")
        }
        return out.joined(separator: "\n")
    }
}

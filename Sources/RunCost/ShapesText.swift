import Reporting

extension ShapesReport {
    public func renderText() -> String {
        var out = ["Growth shapes on \(scenario)'s model sizes (\(zip(stageNames, stageParameters).map { "\($0) = \(Format.count(Double($1)))" }.joined(separator: ", "))), \(Format.count(totalTokens)) tokens",
                   "N(t) = N_final·(t/D)^k; continuous curves save k/(k+1) of the FLOPs (FLM-101B Figure 1).", ""]
        var t = TextTable(header: ["shape", "k", "token shares (" + stageNames.joined(separator: " / ") + ")", "FLOPs saved (curve)", "FLOPs saved (stairs)", "time saved (stairs, simulated)"])
        for s in shapes {
            t.add([s.name, Format.fixed(s.exponent, 2), s.tokenShares.map { Format.percent($0) }.joined(separator: " / "),
                   Format.percent(s.continuousFlopSaving), Format.percent(s.staircaseFlopSaving), Format.percent(s.staircaseTimeSaving)])
        }
        out.append(t.render())
        out.append("")
        out.append("The scenario's own schedule saves as many FLOPs as a continuous curve with k = \(Format.fixed(scenarioEquivalentExponent, 2)) (\(scenarioEquivalentExponent > 1 ? "super-linear" : scenarioEquivalentExponent < 1 ? "sub-linear" : "linear")).")
        out.append("Staircase savings use each stage's size for its whole span; time uses the simulated tokens/s of each stage against the final stage's.")
        return out.joined(separator: "\n")
    }
}

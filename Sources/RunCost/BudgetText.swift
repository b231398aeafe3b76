import Reporting

extension BudgetResult {
    public func renderText() -> String {
        let what = limit == .usd ? "$\(Format.count(target))" : "\(Format.fixed(target, 2)) days"
        var out = ["Budget \(what) for \(schedule.scenario) (failures \(schedule.failures ? "on" : "off"); \(scaling == .proportional ? "every stage's tokens scaled together" : "only the last stage's tokens change"))", ""]
        var t = TextTable(header: ["run", "stage", "tokens", "days", "GPU-hours", "USD"])
        for s in schedule.stages {
            t.add(["growth schedule", s.stage, Format.count(s.tokens), Format.fixed(s.days, 2), Format.count(s.spend.gpuHours), "$" + Format.count(s.spend.usd)])
        }
        t.add(["growth schedule", "total", Format.count(schedule.tokens), Format.fixed(schedule.days, 2), Format.count(schedule.spend.gpuHours), "$" + Format.count(schedule.spend.usd)])
        t.separator()
        let s = scratch.stages[0]
        t.add(["final model from scratch", s.stage, Format.count(s.tokens), Format.fixed(s.days, 2), Format.count(s.spend.gpuHours), "$" + Format.count(s.spend.usd)])
        out.append(t.render())
        out.append("")
        out.append("Token factor on the scenario: \(Format.fixed(factor, 4)) (solved by secant steps on the cost, \(iterations) evaluations).")
        out.append("The growth schedule affords \(Format.fixed(schedule.tokens / scratch.tokens, 2))× the tokens of training the final model from scratch.")
        return out.joined(separator: "\n")
    }
}

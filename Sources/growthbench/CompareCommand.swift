import ArgumentParser
import RunCost
import ResultStore

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Two scenarios side by side (e.g. growth vs scratch): days, GPU-hours, dollars, FLOPs, time saving, speedup.")

    @Argument(help: "Scenario A (e.g. the growth schedule).")
    var a: String
    @Argument(help: "Scenario B (e.g. the final model from scratch).")
    var b: String

    @Flag(inversion: .prefixedNo, help: "Count failures; default: each scenario's run.failures.")
    var failures: Bool?

    @OptionGroup var options: CommonOptions

    func run() throws {
        let (sa, refs) = try options.loadScenario(a)
        let (sb, _) = try options.loadScenario(b)
        let systems = try options.systems(dataDir: try options.dataDirectory(near: [a]))
        let run = try CommandRun(.compare, scenario: sa, options: options)
        _ = try run.store.recordScenario(name: sb.name, path: sb.path, source: sb.source)
        let (c, json) = try run.record({
            RunComparison(a: try Estimator.estimate(sa, systems: systems, references: refs, failures: failures),
                          b: try Estimator.estimate(sb, systems: systems, references: refs, failures: failures),
                          references: refs, paper: sa.reference)
        }, metrics: { c in [
            MetricRecord(stage: nil, name: "time_saving", value: c.timeSaving, unit: "fraction"),
            MetricRecord(stage: nil, name: "speedup", value: c.speedup, unit: "x"),
            MetricRecord(stage: nil, name: "days_a", value: c.a.days, unit: "days"),
            MetricRecord(stage: nil, name: "days_b", value: c.b.days, unit: "days"),
        ] })
        print(options.json ? json : c.renderText() + run.footer)
    }
}

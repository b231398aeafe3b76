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
        let store = try options.store()
        let idA = try store.recordScenario(name: sa.name, path: sa.path, source: sa.source)
        _ = try store.recordScenario(name: sb.name, path: sb.path, source: sb.source)
        let runId = try store.beginRun(kind: .compare, scenarioId: idA, command: commandLine, toolVersion: GrowthBench.version)
        let ea = try Estimator.estimate(sa, systems: systems, references: refs, failures: failures)
        let eb = try Estimator.estimate(sb, systems: systems, references: refs, failures: failures)
        let c = RunComparison(a: ea, b: eb, references: refs, paper: sa.reference)
        let json = try JSON.encode(c)
        try store.finishRun(runId, status: .completed, resultJSON: json, metrics: [
            MetricRecord(stage: nil, name: "time_saving", value: c.timeSaving, unit: "fraction"),
            MetricRecord(stage: nil, name: "speedup", value: c.speedup, unit: "x"),
            MetricRecord(stage: nil, name: "days_a", value: ea.days, unit: "days"),
            MetricRecord(stage: nil, name: "days_b", value: eb.days, unit: "days"),
        ])
        print(options.json ? json : c.renderText() + "\n\nRecorded as run \(runId) in \(options.db).")
    }
}

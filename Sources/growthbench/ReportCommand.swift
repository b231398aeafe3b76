import ArgumentParser
import Foundation
import ClusterSim
import GrowthComparison
import RunCost
import ScenarioSim
import ResultStore
import Training

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML report with SVG charts: stage timeline, cost breakdown, FLOPs and progress against another scenario, pipeline Gantt charts.")

    @Argument(help: "Scenario YAML file.")
    var scenario: String

    @Option(help: "A second scenario to compare against (e.g. the final model from scratch).")
    var vs: String?

    @Option(name: .shortAndLong, help: "Output folder.")
    var output: String

    @Flag(inversion: .prefixedNo, help: "Count failures; default: the scenario's run.failures.")
    var failures: Bool?

    @OptionGroup var options: CommonOptions

    func run() throws {
        let (sa, refs) = try options.loadScenario(scenario)
        let systems = try options.systems(dataDir: try options.dataDirectory(near: [scenario]))
        let a = try Estimator.estimate(sa, systems: systems, references: refs, failures: failures)
        var b: RunEstimate?
        var comparison: RunComparison?
        if let vs {
            let (sb, _) = try options.loadScenario(vs)
            let eb = try Estimator.estimate(sb, systems: systems, references: refs, failures: failures)
            b = eb
            comparison = RunComparison(a: a, b: eb, references: refs, paper: sa.reference)
        }
        let system = try ScenarioSimulator.system(for: sa, in: systems)
        var gantts: [(stage: String, svg: String)] = []
        for stage in sa.stages {
            let (sim, tasks) = try ScenarioSimulator.simulate(stage, scenario: sa, system: system, references: nil, timeline: true)
            gantts.append((stage.name, TimelineSVG.render(tasks, title: "Stage \(stage.name): one iteration, \(String(format: "%.2f", sim.result.iterationTime)) s")))
        }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let page = (output as NSString).appendingPathComponent("index.html")
        try HTMLReport.render(a, versus: b, comparison: comparison, gantts: gantts, measured: try measured())
            .write(toFile: page, atomically: true, encoding: .utf8)
        let json = try comparison.map { try JSON.encode($0) } ?? JSON.encode(a)
        try json.write(toFile: (output as NSString).appendingPathComponent("report.json"), atomically: true, encoding: .utf8)
        let run = CommandRun(.estimate, scenario: sa, stage: "report", options: options)
        _ = try run.record({ a }, metrics: { $0.metrics() })
        print(options.json ? json : "Wrote \(page) (and report.json)." + run.footer)
        try run.finish()
    }

    /// When both files are mini-trainer schedules with finished runs in the database (`compare --train`), the
    /// measured comparison; nil otherwise (GPU-scale scenarios have no trainer sections).
    func measured() throws -> (text: String, charts: [String])? {
        guard let vs, let (ca, _) = try? TrainConfigLoader.load(path: scenario),
              let (cb, _) = try? TrainConfigLoader.load(path: vs) else { return nil }
        let store = try options.store()
        guard let ra = try RecordedTraining.finished(ca, in: store), let rb = try RecordedTraining.finished(cb, in: store) else {
            return nil
        }
        let c = MeasuredComparison(growth: MeasuredRun(name: ca.name, path: scenario, runId: ra.runId, reused: true, summary: ra.summary),
                                   scratch: MeasuredRun(name: cb.name, path: vs, runId: rb.runId, reused: true, summary: rb.summary),
                                   weighting: ra.summary.evaluation?.weighted.first?.name ?? "mixture")
        return (c.renderText(), [c.lossVsTokensSVG, c.lossVsTimeSVG])
    }
}

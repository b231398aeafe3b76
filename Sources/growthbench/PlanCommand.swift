import ArgumentParser
import Foundation
import ScenarioSim
import ResultStore

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search parallel layouts (TP, PP, DP, micro-batch, virtual stages, recompute, SP, distributed optimizer) for a stage, ranked by simulated throughput.")

    @Argument(help: "Scenario YAML file.")
    var scenario: String

    @Option(help: "The stage to plan.")
    var stage: String

    @Option(help: "How many layouts to show.")
    var top: Int = 10

    @OptionGroup var options: CommonOptions

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top: expected a positive number, found \(top)") }
    }

    func run() throws {
        let (loaded, _) = try options.loadScenario(scenario)
        let systems = try options.systems(dataDir: try options.dataDirectory(near: [scenario]))
        let system = try ScenarioSimulator.system(for: loaded, in: systems)
        guard let s = loaded.stage(named: stage) else {
            throw ScenarioSimError.unknownStage(stage, available: loaded.stages.map(\.name))
        }
        let store = try options.store()
        let scenarioId = try store.recordScenario(name: loaded.name, path: loaded.path, source: loaded.source)
        let runId = try store.beginRun(kind: .plan, scenarioId: scenarioId, stage: s.name, command: commandLine,
                                       toolVersion: GrowthBench.version)
        let report = PlanSearch.search(s, scenario: loaded, system: system, top: top)
        let json = try JSON.encode(report)
        var metrics = [MetricRecord(stage: s.name, name: "layouts_simulated", value: Double(report.simulated), unit: "layouts")]
        if let best = report.top.first {
            metrics.append(MetricRecord(stage: s.name, name: "best_tokens_per_second", value: best.tokensPerSecond, unit: "tokens/s"))
        }
        if let rank = report.scenarioRank {
            metrics.append(MetricRecord(stage: s.name, name: "scenario_layout_rank", value: Double(rank), unit: "rank"))
        }
        try store.finishRun(runId, status: .completed, resultJSON: json, metrics: metrics)
        print(options.json ? json : report.renderText() + "\n\nRecorded as run \(runId) in \(options.db).")
    }
}

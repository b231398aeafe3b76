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
            throw ScenarioSimError.unknownStage(stage, in: loaded)
        }
        let run = CommandRun(.plan, scenario: loaded, stage: s.name, options: options)
        let (report, json) = try run.record({ PlanSearch.search(s, scenario: loaded, system: system, top: top) }, metrics: { r in
            var metrics = [MetricRecord(stage: s.name, name: "layouts_simulated", value: Double(r.simulated), unit: "layouts")]
            if let best = r.top.first {
                metrics.append(MetricRecord(stage: s.name, name: "best_tokens_per_second", value: best.tokensPerSecond, unit: "tokens/s"))
            }
            if let rank = r.scenarioRank {
                metrics.append(MetricRecord(stage: s.name, name: "scenario_layout_rank", value: Double(rank), unit: "rank"))
            }
            return metrics
        })
        print(options.json ? json : report.renderText() + run.footer)
        try run.finish()
    }
}

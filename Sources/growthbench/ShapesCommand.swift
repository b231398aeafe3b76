import ArgumentParser
import RunCost
import ScenarioSim
import ResultStore

struct Shapes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Savings of linear, super-linear and sub-linear growth on the scenario's model sizes (FLM-101B Figure 1).")

    @Argument(help: "Scenario YAML file (a growth schedule).")
    var scenario: String

    @OptionGroup var options: CommonOptions

    func run() throws {
        let (loaded, _) = try options.loadScenario(scenario)
        let system = try ScenarioSimulator.system(for: loaded, in: try options.systems(dataDir: try options.dataDirectory(near: [scenario])))
        let run = CommandRun(.estimate, scenario: loaded, stage: "shapes", options: options)
        let (report, json) = try run.record({
            GrowthShapes.report(scenario: loaded.name, rates: try Estimator.rates(loaded, system: system),
                                tokens: loaded.stages.map(\.tokens))
        }, metrics: { r in
            r.shapes.map { MetricRecord(stage: $0.name, name: "staircase_time_saving", value: $0.staircaseTimeSaving, unit: "fraction") }
        })
        print(options.json ? json : report.renderText() + run.footer)
        try run.finish()
    }
}

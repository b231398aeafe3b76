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
        let rates = try Estimator.rates(loaded, system: system)
        let report = GrowthShapes.report(scenario: loaded.name, rates: rates, tokens: loaded.stages.map(\.tokens))
        let store = try options.store()
        let id = try store.recordScenario(name: loaded.name, path: loaded.path, source: loaded.source)
        let run = try store.beginRun(kind: .estimate, scenarioId: id, stage: "shapes", command: commandLine, toolVersion: GrowthBench.version)
        let json = try JSON.encode(report)
        try store.finishRun(run, status: .completed, resultJSON: json, metrics: report.shapes.map {
            MetricRecord(stage: $0.name, name: "staircase_time_saving", value: $0.staircaseTimeSaving, unit: "fraction")
        })
        print(options.json ? json : report.renderText() + "\n\nRecorded as run \(run) in \(options.db).")
    }
}

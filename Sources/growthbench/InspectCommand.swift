import ArgumentParser
import Inspection
import ResultStore

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per stage: parameters, FLOPs per token, training FLOPs (both ways), memory per GPU, and Δ to the paper.")

    @Argument(help: "Scenario YAML file.")
    var scenario: String

    @OptionGroup var options: CommonOptions

    func run() throws {
        let (loaded, references) = try options.loadScenario(scenario)
        let store = try options.store()
        let scenarioId = try store.recordScenario(name: loaded.name, path: loaded.path, source: loaded.source)
        let runId = try store.beginRun(kind: .inspect, scenarioId: scenarioId, command: commandLine,
                                       toolVersion: GrowthBench.version)
        let report = Inspector.inspect(loaded, references: references)
        let json = try JSON.encode(report)
        try store.finishRun(runId, status: .completed, resultJSON: json, metrics: report.metrics())
        print(options.json ? json : report.renderText() + "\n\nRecorded as run \(runId) in \(options.db).")
    }
}

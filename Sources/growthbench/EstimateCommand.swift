import ArgumentParser
import RunCost
import ResultStore

struct Estimate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Days, GPU-hours, dollars, energy and CO2e of a scenario: simulated stage throughput, checkpoints, failures, growth transitions.")

    @Argument(help: "Scenario YAML file.")
    var scenario: String

    @Flag(inversion: .prefixedNo, help: "Count failures (interruptions, lost work, restarts); default: the scenario's run.failures.")
    var failures: Bool?

    @OptionGroup var options: CommonOptions

    func run() throws {
        let (loaded, references) = try options.loadScenario(scenario)
        let systems = try options.systems(dataDir: try options.dataDirectory(near: [scenario]))
        let store = try options.store()
        let scenarioId = try store.recordScenario(name: loaded.name, path: loaded.path, source: loaded.source)
        let runId = try store.beginRun(kind: .estimate, scenarioId: scenarioId, command: commandLine, toolVersion: GrowthBench.version)
        do {
            let estimate = try Estimator.estimate(loaded, systems: systems, references: references, failures: failures)
            let json = try JSON.encode(estimate)
            try store.finishRun(runId, status: .completed, resultJSON: json, metrics: estimate.metrics())
            print(options.json ? json : estimate.renderText() + "\n\nRecorded as run \(runId) in \(options.db).")
        } catch {
            try? store.finishRun(runId, status: .failed, resultJSON: nil)
            throw error
        }
    }
}

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
        let run = try CommandRun(.estimate, scenario: loaded, options: options)
        let (estimate, json) = try run.record({
            try Estimator.estimate(loaded, systems: systems, references: references, failures: failures)
        }, metrics: { $0.metrics() })
        print(options.json ? json : estimate.renderText() + run.footer)
    }
}

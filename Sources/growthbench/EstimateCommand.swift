import ArgumentParser
import RunCost
import ResultStore
import Validation

struct Estimate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Days, GPU-hours, dollars, energy and CO2e of a scenario: simulated stage throughput, checkpoints, failures, growth transitions.")

    @Argument(help: "Scenario YAML file.")
    var scenario: String

    @Flag(inversion: .prefixedNo, help: "Count failures (interruptions, lost work, restarts); default: the scenario's run.failures.")
    var failures: Bool?

    @Option(name: .long, help: "Price a mini-trainer file on a one-device profile instead of its cluster: 'local' (this machine, from `calibrate`).")
    var system: String?

    @OptionGroup var options: CommonOptions

    func run() throws {
        if let system {
            let (predicted, config, source) = try options.oneDeviceEstimate(scenario, system: system)
            let run = CommandRun(.estimate, name: config.name, path: scenario, source: source, stage: "system/\(system)", options: options)
            let (estimate, json) = try run.record({ predicted }, metrics: { $0.metrics() })
            print(options.json ? json : OneDeviceText.render(estimate) + run.footer)
            try run.finish()
            return
        }
        let (loaded, references) = try options.loadScenario(scenario)
        let systems = try options.systems(dataDir: try options.dataDirectory(near: [scenario]))
        let run = CommandRun(.estimate, scenario: loaded, options: options)
        let (estimate, json) = try run.record({
            try Estimator.estimate(loaded, systems: systems, references: references, failures: failures)
        }, metrics: { $0.metrics() })
        print(options.json ? json : estimate.renderText() + run.footer)
        try run.finish()
    }
}

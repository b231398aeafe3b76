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
        let run = CommandRun(.inspect, scenario: loaded, options: options)
        let (report, json) = try run.record({ Inspector.inspect(loaded, references: references) }, metrics: { $0.metrics() })
        print(options.json ? json : report.renderText() + run.footer)
        try run.finish()
    }
}

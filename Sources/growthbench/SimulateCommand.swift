import ArgumentParser
import Foundation
import ClusterSim
import Hardware
import ScenarioSim
import ResultStore

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate one training iteration of each stage on the scenario's cluster (3D parallel, discrete events).")

    @Argument(help: "Scenario YAML file.")
    var scenario: String

    @Option(help: "Only this stage.")
    var stage: String?

    @Option(help: "Write a Gantt chart (SVG) of one iteration of the stage (requires --stage when there are several).")
    var timeline: String?

    @Option(help: "Write the iteration as a Chrome/Perfetto trace (JSON).")
    var trace: String?

    @OptionGroup var options: CommonOptions

    func run() throws {
        let (loaded, references) = try options.loadScenario(scenario)
        let dataDir = try options.dataDirectory(near: [scenario])
        let systems = try options.systems(dataDir: dataDir)
        if (timeline != nil || trace != nil) && stage == nil && loaded.stages.count > 1 {
            throw ValidationError("--timeline and --trace draw one stage: add --stage (one of \(loaded.stages.map(\.name).joined(separator: ", ")))")
        }
        let run = CommandRun(.simulate, scenario: loaded, stage: stage, options: options)
        let (report, json) = try run.record({
            let report = try ScenarioSimulator.simulate(loaded, stage: stage, systems: systems, references: references)
            if timeline != nil || trace != nil, let only = loaded.stage(named: stage ?? loaded.stages[0].name) {
                let (sim, tasks) = try ScenarioSimulator.simulate(only, scenario: loaded, system: report.system,
                                                                  references: references, timeline: true)
                if let timeline {
                    try TimelineSVG.render(tasks, title: "\(loaded.name) · stage \(only.name) · one iteration (\(String(format: "%.2f", sim.result.iterationTime)) s)")
                        .write(toFile: timeline, atomically: true, encoding: .utf8)
                }
                if let trace { try ChromeTrace.render(tasks).write(toFile: trace, atomically: true, encoding: .utf8) }
            }
            return report
        }, metrics: { $0.metrics() })
        print(options.json ? json : report.renderText() + run.footer)
        try run.finish()
    }
}

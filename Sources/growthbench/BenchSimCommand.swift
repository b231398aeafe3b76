import ArgumentParser
import Foundation
import ClusterSim
import DiscreteEvent
import ScenarioSim

/// Speed of the discrete-event engine on a real iteration, and of the plan search.
struct BenchSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-sim",
        abstract: "Benchmark: DES events/s on one iteration of a stage, and the wall time of the plan search.")

    @Argument(help: "Scenario YAML file.")
    var scenario: String = "Scenarios/flm-101b-growth.yaml"

    @Option(help: "Stage to simulate.")
    var stage: String = "101B"

    @Option(help: "Minimum seconds to spend timing the engine.")
    var seconds: Double = 2

    @Option(help: "Write the iteration's task graph as JSON (for the SimPy reference).")
    var exportGraph: String?

    @OptionGroup var options: CommonOptions

    struct Result: Encodable {
        var stage: String, tasks: Int, events: Int, runs: Int, secondsPerRun: Double, eventsPerSecond: Double
        var makespan: Double, planSeconds: Double, planLayoutsSimulated: Int, gpus: Int, threads: Int
    }

    func run() throws {
        let (loaded, _) = try options.loadScenario(scenario)
        let system = try ScenarioSimulator.system(for: loaded, in: try options.systems(dataDir: try options.dataDirectory(near: [scenario])))
        guard let s = loaded.stage(named: stage) else { throw ScenarioSimError.unknownStage(stage, in: loaded) }
        let costs = CostModel.costs(model: s.model, layout: s.layout, globalBatch: s.globalBatch, system: system,
                                    options: ScenarioSimulator.options(for: s))
        let built = IterationSimulator.graph(costs, granularity: .layer)
        if let exportGraph { try built.graph.exportJSON().write(toFile: exportGraph, atomically: true, encoding: .utf8) }

        var runs = 0, events = 0, makespan = 0.0
        let start = Date()
        repeat {
            let schedule = try Engine.run(built.graph)
            events = schedule.events
            makespan = schedule.makespan
            runs += 1
        } while Date().timeIntervalSince(start) < seconds
        let perRun = Date().timeIntervalSince(start) / Double(runs)

        let plan = PlanSearch.search(s, scenario: loaded, system: system)
        let r = Result(stage: s.name, tasks: built.graph.taskCount, events: events, runs: runs, secondsPerRun: perRun,
                       eventsPerSecond: Double(events) / perRun, makespan: makespan, planSeconds: plan.searchSeconds,
                       planLayoutsSimulated: plan.simulated, gpus: loaded.cluster.gpus,
                       threads: ProcessInfo.processInfo.activeProcessorCount)
        if options.json {
            print(try JSON.encode(r))
        } else {
            print("DES on stage \(s.name): \(r.tasks) tasks, \(r.events) events per iteration, \(runs) runs")
            print(String(format: "  %.2f ms per run, %.2f M events/s, iteration %.3f s simulated", perRun * 1000, r.eventsPerSecond / 1e6, makespan))
            print(String(format: "Plan search for %d GPUs: %d layouts simulated in %.2f s on %d cores", r.gpus, plan.simulated, plan.searchSeconds, r.threads))
        }
    }
}

import ClusterSim
import Hardware
import ModelKit
import PaperReference
import Scenario

/// Simulated iteration of one stage of a scenario, with the paper's figure next to it where one exists.
public struct StageSimulation: Sendable, Equatable, Codable {
    public var stage: String
    public var system: String
    public var layout: ParallelLayout
    public var rankOrder: RankOrder
    public var overlapGradReduce: Bool
    public var result: SimulationResult
    public var comparisons: [Comparison]
}

public struct SimulateReport: Sendable, Equatable, Codable {
    public var scenario: String
    public var path: String
    public var system: SystemProfile
    public var stages: [StageSimulation]
}

/// A scenario the simulator cannot run, naming the file and the field.
public struct ScenarioSimError: Error, CustomStringConvertible {
    public enum Kind: Sendable {
        case unknownStage(String, available: [String])
        case unknownSystem(String, available: [String])
        case noSystem(gpu: String)
        case nodeMismatch(String)
        case stage(String, SimulationError)
    }
    public var file: String
    public var kind: Kind
    public init(file: String, _ kind: Kind) { self.file = file; self.kind = kind }

    public static func unknownStage(_ name: String, in scenario: Scenario) -> ScenarioSimError {
        ScenarioSimError(file: scenario.path, .unknownStage(name, available: scenario.stages.map(\.name)))
    }

    public var description: String {
        let what = switch kind {
        case let .unknownStage(name, available): "stages: no stage named '\(name)' (stages: \(available.joined(separator: ", ")))"
        case let .unknownSystem(name, available): "cluster.system: expected one of \(available.joined(separator: ", ")), found '\(name)'"
        case let .noSystem(gpu): "cluster.gpu: no system profile in Data/hardware/systems.yaml uses the GPU \(gpu); add one or set cluster.system"
        case let .nodeMismatch(why): why
        case let .stage(name, error): "stages (\(name)): \(error)"
        }
        return "\(file): \(what)"
    }
}

/// Runs the cluster simulator on a scenario's stages.
public enum ScenarioSimulator {
    public static func system(for scenario: Scenario, in catalog: SystemCatalog) throws -> SystemProfile {
        let c = scenario.cluster
        let system: SystemProfile
        if let name = c.system {
            guard let s = catalog.system(named: name) else {
                throw ScenarioSimError(file: scenario.path, .unknownSystem(name, available: catalog.systems.map(\.name)))
            }
            system = s
        } else {
            guard let s = catalog.defaultSystem(for: c.gpu.name) else { throw ScenarioSimError(file: scenario.path, .noSystem(gpu: c.gpu.name)) }
            system = s
        }
        guard system.gpu.name == c.gpu.name, system.gpusPerNode == c.gpusPerNode else {
            throw ScenarioSimError(file: scenario.path, .nodeMismatch("cluster.gpus_per_node: \(c.gpusPerNode) × \(c.gpu.name) per node does not match system \(system.name) (\(system.gpusPerNode) × \(system.gpu.name))"))
        }
        return c.applyNetwork(to: system)
    }

    public static func options(for stage: Stage, granularity: SimulationOptions.Granularity = .layer) -> SimulationOptions {
        var o = SimulationOptions()
        o.granularity = granularity
        o.order = stage.rankOrder
        o.overlapGradReduce = stage.overlapGradReduce
        return o
    }

    /// Simulates one stage; returns the result and, when asked, every task of the iteration.
    public static func simulate(_ stage: Stage, scenario: Scenario, system: SystemProfile,
                                references: ReferenceTable?, timeline: Bool = false,
                                granularity: SimulationOptions.Granularity = .layer) throws -> (StageSimulation, [TaskInfo]) {
        let (result, tasks): (SimulationResult, [TaskInfo])
        do {
            (result, tasks) = try Simulator.simulate(model: stage.model, layout: stage.layout, globalBatch: stage.globalBatch,
                                                     system: system, usableMemoryBytes: scenario.cluster.usableMemoryBytes,
                                                     options: options(for: stage, granularity: timeline ? .layer : granularity),
                                                     timeline: timeline)
        } catch let e as SimulationError {
            throw ScenarioSimError(file: scenario.path, .stage(stage.name, e))
        }
        var comparisons: [Comparison] = []
        if let paper = scenario.reference, let references,
           let f = references.figure(paper: paper, stage: stage.referenceStage, quantity: "tflops_per_gpu") {
            comparisons.append(Comparison(f, model: result.hardwareTFLOPsPerGPU,
                method: "simulated hardware TFLOP/s per GPU (recompute counted; FLM-101B's README labels its figures HFU)"))
        }
        return (StageSimulation(stage: stage.name, system: system.name, layout: stage.layout, rankOrder: stage.rankOrder,
                                overlapGradReduce: stage.overlapGradReduce, result: result, comparisons: comparisons), tasks)
    }

    public static func simulate(_ scenario: Scenario, stage name: String?, systems: SystemCatalog,
                                references: ReferenceTable?) throws -> SimulateReport {
        let system = try system(for: scenario, in: systems)
        let stages: [Stage]
        if let name {
            guard let s = scenario.stage(named: name) else {
                throw ScenarioSimError.unknownStage(name, in: scenario)
            }
            stages = [s]
        } else {
            stages = scenario.stages
        }
        return SimulateReport(scenario: scenario.name, path: scenario.path, system: system,
                              stages: try stages.map { try simulate($0, scenario: scenario, system: system, references: references).0 })
    }
}

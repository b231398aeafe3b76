import Hardware
import ModelKit
import PaperReference
import RunCost
import Scenario
import Training

public enum MiniRunPricingError: Error, CustomStringConvertible {
    case notOneDevice(String)
    case threads(profile: Int, run: Int, path: String)
    public var description: String {
        switch self {
        case let .notOneDevice(name):
            "--system \(name): expected a one-device profile of the MiniGPT stack (`growthbench calibrate` writes 'local'); cluster systems are chosen by the scenario's cluster.system"
        case let .threads(profile, run, path):
            "\(path): threads: the run uses \(run) threads but the profile was measured with \(profile); run `growthbench calibrate --threads \(run)` (or -o another file) first"
        }
    }
}

/// A mini-trainer config (plain or a growth schedule) priced on one device: its stages become a scenario with
/// tp = pp = dp = 1 and the trainer's micro-batch, and the estimate comes from the same simulator and cost model
/// as a GPU cluster's (`Estimator`), with the device's profile (`calibrate`).
public enum MiniRunPricing {
    public static func scenario(_ config: TrainConfig, path: String, source: String, system: SystemProfile) throws -> Scenario {
        guard system.gpusPerNode == 1, system.stack == .minigpt else { throw MiniRunPricingError.notOneDevice(system.name) }
        if let measured = system.threads, measured != config.threads {
            throw MiniRunPricingError.threads(profile: measured, run: config.threads, path: path)
        }
        let cluster = Cluster(gpu: system.gpu, nodes: 1, gpusPerNode: 1, pricePerGPUHourUSD: 0, system: system.name,
                              memoryReserveGiB: 0)
        let stages = config.plan.stages.map { s in
            Stage(name: s.name, model: s.model, tokens: Double(s.steps * s.batchSequences * s.model.sequenceLength),
                  globalBatch: s.batchSequences,
                  layout: ParallelLayout(tensor: 1, pipeline: 1, data: 1, microBatch: min(config.training.microBatch, s.batchSequences)))
        }
        var run = RunSettings()
        run.failures = false
        run.growthTransitionMinutes = 0
        return Scenario(name: config.name, description: "\(config.name) on \(system.name)", path: path, source: source,
                        cluster: cluster, stages: stages,
                        assumptions: ["one device (\(system.name)), \(system.threads ?? config.threads) threads; growth masks' extra work during ramps not priced"],
                        run: run)
    }

    /// Predicted time of every stage and of the run.
    public static func estimate(_ config: TrainConfig, path: String, source: String, system: SystemProfile) throws -> RunEstimate {
        let s = try scenario(config, path: path, source: source, system: system)
        return try Estimator.estimate(s, systems: SystemCatalog(systems: [system]), references: nil, failures: false)
    }
}

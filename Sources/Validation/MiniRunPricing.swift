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
            "\(path): threads: the run uses \(run) threads but the profile was measured with \(profile); run `growthbench calibrate --threads \(run)` first (or write it elsewhere with -o and point GROWTHBENCH_LOCAL_PROFILE at it)"
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
        let plan = config.plan, segments = plan.shapeSegments
        // One scenario stage per shape: a growth stage runs its intermediate shapes (one operator at a time)
        // before its final one, and each is priced at its own size.
        let stages = segments.map { seg in
            let s = plan.stages[seg.stage]
            return Stage(name: segmentName(seg, of: segments, plan: plan), model: seg.shape,
                         tokens: Double(seg.steps * s.batchSequences * s.model.sequenceLength), globalBatch: s.batchSequences,
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

    /// "mid" for a stage's only shape, "mid +depth" for the shape a growth operator left before the next one.
    public static func segmentName(_ seg: TrainingPlan.ShapeSegment, of segments: [TrainingPlan.ShapeSegment],
                                   plan: TrainingPlan) -> String {
        let name = plan.stages[seg.stage].name
        guard segments.filter({ $0.stage == seg.stage }).count > 1, let op = seg.grownBy else { return name }
        return "\(name) +\(op.rawValue)"
    }

    /// Predicted time of every stage and of the run.
    public static func estimate(_ config: TrainConfig, path: String, source: String, system: SystemProfile) throws -> RunEstimate {
        let s = try scenario(config, path: path, source: source, system: system)
        return try Estimator.estimate(s, systems: SystemCatalog(systems: [system]), references: nil, failures: false)
    }
}

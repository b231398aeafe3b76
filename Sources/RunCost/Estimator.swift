import ClusterSim
import ConfigFile
import Foundation
import Hardware
import ModelKit
import PaperReference
import Reporting
import Scenario
import ScenarioSim

/// What one stage costs per iteration, from one simulation; the rest of the estimate is arithmetic on it.
public struct StageRate: Sendable, Equatable {
    public var stage: Stage
    public var iterationSeconds: Double
    public var tokensPerSecond: Double
    public var hardwareTFLOPsPerGPU: Double
    public var mfu: Double
    /// Per iteration: compute, communication (blocking TP + tail), bubble.
    public var computePerIteration: Double
    public var communicationPerIteration: Double
    public var bubblePerIteration: Double
    public var parameters: Int
}

/// Days, GPU-hours, dollars, energy and carbon of a scenario: stage iteration times from the simulator,
/// steps from the tokens, then checkpoints, failures (Young/Daly) and growth transitions.
public enum Estimator {
    public static func rates(_ scenario: Scenario, system: SystemProfile) throws -> [StageRate] {
        try scenario.stages.map { stage in
            let (sim, _) = try ScenarioSimulator.simulate(stage, scenario: scenario, system: system, references: nil,
                                                          granularity: .chunk)
            let r = sim.result
            let b = r.breakdown
            return StageRate(stage: stage, iterationSeconds: r.iterationTime, tokensPerSecond: r.tokensPerSecond,
                             hardwareTFLOPsPerGPU: r.hardwareTFLOPsPerGPU, mfu: r.mfu,
                             computePerIteration: b.compute, communicationPerIteration: b.tensorComm + b.tail,
                             bubblePerIteration: b.idle, parameters: ParameterCount(stage.model).total)
        }
    }

    public static func estimate(_ scenario: Scenario, systems: SystemCatalog, references: ReferenceTable?,
                                failures: Bool? = nil) throws -> RunEstimate {
        let system = try ScenarioSimulator.system(for: scenario, in: systems)
        let rates = try rates(scenario, system: system)
        return try assemble(scenario, system: system, rates: rates, tokens: scenario.stages.map(\.tokens),
                        references: references, failures: failures)
    }

    /// The estimate for given per-stage token counts (the simulation results are reused).
    public static func assemble(_ scenario: Scenario, system: SystemProfile, rates: [StageRate], tokens: [Double],
                                references: ReferenceTable?, failures: Bool? = nil) throws -> RunEstimate {
        var run = scenario.run
        if let failures { run.failures = failures }
        let gpus = Double(scenario.cluster.gpus)
        let mtbf = run.nodeMTBFHours * 3600 / Double(scenario.cluster.nodes)
        let restart = run.restartMinutes * 60
        let storage = run.storageGBPerSecond * 1e9
        var stages: [StageEstimate] = []
        var previousParams: Int?
        for (i, rate) in rates.enumerated() {
            let stage = rate.stage
            let stageTokens = tokens[i]
            guard Stage.tokenRange.contains(stageTokens) else {
                throw ConfigError(file: scenario.path, line: nil, field: "stages[\(i)].tokens",
                                  message: "expected a number of tokens between 1 and 1e16, the estimate was asked for \(MappingReader.format(stageTokens))")
            }
            let steps = Int((stageTokens / stage.batchTokens).rounded(.up))
            let compute = Double(steps) * rate.iterationSeconds
            let checkpointWrite = Double(rate.parameters) * run.checkpointBytesPerParameter / storage
            let interval = run.checkpointIntervalMinutes.map { $0 * 60 }
                ?? Reliability.optimalInterval(checkpointSeconds: checkpointWrite, mtbfSeconds: mtbf)
            if run.failures { try requireProgress(scenario, run: run, stage: stage, mtbf: mtbf, interval: interval, checkpointWrite: checkpointWrite) }
            let outcome = Reliability.run(work: compute, checkpointSeconds: checkpointWrite, interval: interval,
                                          mtbfSeconds: mtbf, restartSeconds: restart, failures: run.failures)
            var transition = 0.0
            if let previous = previousParams {
                transition = run.growthTransitionMinutes.map { $0 * 60 }
                    ?? (Double(previous) + Double(rate.parameters)) * run.checkpointBytesPerParameter / storage + restart
            }
            let wall = outcome.wallSeconds + transition
            let scale = Double(steps)
            let shares = TimeShares(compute: rate.computePerIteration * scale,
                                    communication: rate.communicationPerIteration * scale,
                                    bubble: rate.bubblePerIteration * scale,
                                    failures: outcome.lostWorkSeconds + outcome.restartSeconds,
                                    checkpoints: outcome.checkpointSeconds, transition: transition)
            let perToken = TrainingFlopsPerToken(stage.model, layout: stage.layout)
            let flops = FlopSummary(sixND: FlopFormulas.sixND(parameters: rate.parameters, tokens: stageTokens),
                                    model: perToken.model * stageTokens, hardware: perToken.hardware * stageTokens,
                                    costIndex: FlopFormulas.costIndex(stage.model, tokens: stageTokens))
            let paperDays = scenario.reference.flatMap {
                references?.figure(paper: $0, stage: stage.referenceStage, quantity: "days")?.value
            }
            stages.append(StageEstimate(
                stage: stage.name, parameters: rate.parameters, tokens: stageTokens, steps: steps,
                iterationSeconds: rate.iterationSeconds, tokensPerSecond: rate.tokensPerSecond,
                hardwareTFLOPsPerGPU: rate.hardwareTFLOPsPerGPU, mfu: rate.mfu, computeSeconds: compute,
                checkpointWriteSeconds: checkpointWrite, checkpointIntervalSeconds: interval, reliability: outcome,
                transitionSeconds: transition, wallSeconds: wall, shares: shares,
                spend: spend(seconds: wall, gpus: gpus, scenario: scenario, run: run), flops: flops, paperDays: paperDays))
            previousParams = rate.parameters
        }
        let wall = stages.map(\.wallSeconds).reduce(0, +)
        let paper = scenario.reference
        func figure(_ stage: String, _ q: String) -> Double? { paper.flatMap { references?.figure(paper: $0, stage: stage, quantity: q)?.value } }
        let estimate = RunEstimate(
            scenario: scenario.name, path: scenario.path, system: system.name, gpus: scenario.cluster.gpus,
            pricePerGPUHour: scenario.cluster.pricePerGPUHourUSD, failures: run.failures, stages: stages,
            tokens: tokens.reduce(0, +), wallSeconds: wall, shares: stages.map(\.shares).reduce(.zero, +),
            spend: stages.map(\.spend).reduce(.zero, +), flops: stages.map(\.flops).reduce(.zero, +),
            paperDays: stages.count > 1 ? figure("total", "days") : stages.first.flatMap { $0.paperDays },
            paperCostZettaFLOPs: figure("total", "cost_zettaflops"), paperUSD: figure("total", "budget_usd"),
            assumptions: assumptions(run, scenario: scenario, mtbf: mtbf))
        try NonFiniteResult.check(estimate, file: scenario.path)
        return estimate
    }

    /// A run makes progress only while a failure costs less than the time between failures (Reliability.run's
    /// denominator 1 − (R + (τ + δ)/2)/M stays positive); otherwise the expected wall time is unbounded, which is
    /// an error in the scenario's `run:` values, not a table of infinities.
    static func requireProgress(_ scenario: Scenario, run: RunSettings, stage: Stage, mtbf: Double, interval: Double,
                                checkpointWrite: Double) throws {
        let lossPerFailure = run.restartMinutes * 60 + (interval + checkpointWrite) / 2
        guard lossPerFailure >= mtbf else { return }
        func minutes(_ s: Double) -> String { String(format: "%.3g min", s / 60) }
        throw ConfigError(file: scenario.path, line: nil, field: "run.node_mtbf_hours",
            message: "expected failures rarer than what each one costs: \(scenario.cluster.nodes) nodes at \(MappingReader.format(run.nodeMTBFHours)) h node MTBF fail every \(minutes(mtbf)), and each failure of stage \(stage.name) costs \(minutes(lossPerFailure)) (run.restart_minutes \(MappingReader.format(run.restartMinutes)) + half of a \(minutes(interval + checkpointWrite)) checkpoint interval and write), so the run never finishes; raise run.node_mtbf_hours, lower run.restart_minutes or run.checkpoint_interval_minutes, raise run.storage_gb_per_s, or set run.failures: false")
    }

    static func spend(seconds: Double, gpus: Double, scenario: Scenario, run: RunSettings) -> Spend {
        let gpuHours = seconds / 3600 * gpus
        let energy = gpuHours * scenario.cluster.gpu.tdpWatts * run.pue / 1e6
        return Spend(gpuHours: gpuHours, usd: gpuHours * scenario.cluster.pricePerGPUHourUSD, energyMWh: energy,
                     tCO2e: energy * run.gridKgCO2ePerKWh)
    }

    static func assumptions(_ r: RunSettings, scenario: Scenario, mtbf: Double) -> [String] {
        [
            "failures \(r.failures ? "on" : "off"): node MTBF \(Int(r.nodeMTBFHours)) h (Llama 3 §3.3.4: ~50.7k GPU-h per interruption) → job MTBF \(Int(mtbf / 3600)) h on \(scenario.cluster.nodes) nodes; restart \(r.restartMinutes) min (MegaScale)",
            "checkpoints: \(r.checkpointBytesPerParameter) B/param (BLOOM) written at \(r.storageGBPerSecond) GB/s; interval " + (r.checkpointIntervalMinutes.map { "\($0) min (scenario)" } ?? "Young/Daly optimum √(2δM) (Daly 2006 higher-order form)"),
            "growth transitions: " + (r.growthTransitionMinutes.map { "\($0) min (scenario)" } ?? "read old + write grown checkpoint at the storage bandwidth, plus one restart (FLM-101B grows offline and reloads, §2.3)"),
            "price $\(scenario.cluster.pricePerGPUHourUSD)/GPU-hour (scenario); energy = GPU-hours × \(Int(scenario.cluster.gpu.tdpWatts)) W TDP × PUE \(r.pue); CO2e = energy × \(r.gridKgCO2ePerKWh) kg/kWh (FLM-101B Table 3 form)",
            "cost index: Narayanan Eq. 3 with coefficients 72 (no recompute) and 96 (full), midpoint ± half (FLM-101B §4)",
        ]
    }
}

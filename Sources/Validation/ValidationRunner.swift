import CurveFit
import Foundation
import Hardware
import MiniGPT
import ModelKit
import ResultStore
import RunCost
import Training

/// Runs a validation suite: every run it lists is trained on this machine or reused from the database by config
/// fingerprint, the simulator predicts each one on the device profile, and the two are put side by side.
public struct ValidationRunner {
    public var suite: ValidationSuite
    public var system: SystemProfile
    public var store: ResultStore
    public var corpora: String?
    public var command: String
    public var toolVersion: String
    /// Where runs trained now keep their checkpoints (`<root>/<name>/<fingerprint>`).
    public var outputRoot = "out"
    public var log: (String) -> Void = { _ in }

    public init(suite: ValidationSuite, system: SystemProfile, store: ResultStore, corpora: String?, command: String,
                toolVersion: String) {
        self.suite = suite; self.system = system; self.store = store; self.corpora = corpora
        self.command = command; self.toolVersion = toolVersion
    }

    public func run() throws -> ValidationReport {
        let start = Date()
        var rows: [TimeRow] = []
        var threads = system.threads ?? 0
        if let spec = suite.stepTime {
            let (base, _) = try TrainConfigLoader.load(path: spec.base)
            threads = base.threads
            for (i, shape) in spec.shapes.enumerated() {
                let config = try Self.shapeConfig(base, layers: shape.layers, hidden: shape.hidden, steps: spec.steps)
                log("step time \(i + 1)/\(spec.shapes.count): \(shape.layers) layers × \(shape.hidden)")
                rows += try timeRows(config, path: spec.base, source: Self.describe(config))
            }
        }
        var saving: SavingRow?
        if let pair = suite.growth {
            let (g, gSource) = try TrainConfigLoader.load(path: pair.growth)
            let (s, sSource) = try TrainConfigLoader.load(path: pair.scratch)
            let growthRows = try timeRows(g, path: pair.growth, source: gSource)
            let scratchRows = try timeRows(s, path: pair.scratch, source: sSource)
            rows += growthRows + scratchRows
            func sum(_ r: [TimeRow], _ k: KeyPath<TimeRow, Double>) -> Double { r.map { $0[keyPath: k] }.reduce(0, +) }
            saving = SavingRow(growthRunId: growthRows[0].runId, scratchRunId: scratchRows[0].runId,
                               predictedGrowthSeconds: sum(growthRows, \.predictedSeconds),
                               predictedScratchSeconds: sum(scratchRows, \.predictedSeconds),
                               measuredGrowthSeconds: sum(growthRows, \.measuredSeconds),
                               measuredScratchSeconds: sum(scratchRows, \.measuredSeconds))
        }
        let loss = try suite.loss.map(lossValidation)
        return ValidationReport(suite: suite.name, path: suite.path, system: system.name, threads: threads, time: rows,
                                saving: saving, loss: loss, seconds: Date().timeIntervalSince(start))
    }

    /// The base config at another depth and width (heads follow its head-width rule), for `steps` steps,
    /// evaluated and checkpointed only at the end.
    public static func shapeConfig(_ base: TrainConfig, layers: Int, hidden: Int, steps: Int) throws -> TrainConfig {
        var c = hidden == base.model.hidden ? base : try base.atWidth(hidden)
        c.model.layers = layers
        c.name = "\(base.name)-\(layers)x\(hidden)"
        c.training.steps = steps
        c.optimizer.warmupSteps = min(c.optimizer.warmupSteps, steps / 2)
        c.training.evalEvery = steps
        c.training.checkpointEvery = steps
        c.training.logEvery = 1
        if let problem = c.model.problems().first {
            throw ModelError("step_time shape \(layers) × \(hidden): \(problem.field): expected \(problem.expected)")
        }
        return c
    }

    /// What a derived config is, stored as its run's source text.
    static func describe(_ c: TrainConfig) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        return (try? e.encode(c)).map { String(decoding: $0, as: UTF8.self) } ?? c.name
    }

    /// Trains or reuses one run and prices it: one row per stage.
    func timeRows(_ config: TrainConfig, path: String, source: String) throws -> [TimeRow] {
        let estimate = try MiniRunPricing.estimate(config, path: path, source: source, system: system)
        let (summary, runId, _) = try RecordedTraining.finishedOrTrain(
            config, path: path, source: source, store: store, corpora: corpora, outputRoot: outputRoot, quiet: true,
            command: command, toolVersion: toolVersion, log: log)
        let plan = config.plan, segments = plan.shapeSegments
        return segments.enumerated().map { i, seg in
            let seconds = summary.curve.filter { $0.step >= seg.first && $0.step < seg.first + seg.steps }.map(\.seconds)
            let predicted = estimate.stages[i]
            // A segment's first step pays warm-up or the growth itself; a one-step segment keeps it.
            let timed = seconds.count > 1 ? Array(seconds.dropFirst()) : seconds
            return TimeRow(run: config.name, stage: MiniRunPricing.segmentName(seg, of: segments, plan: plan),
                           shape: "\(seg.shape.layers)×\(seg.shape.hidden)/\(seg.shape.ffnHidden)", steps: seg.steps, runId: runId,
                           predictedStepSeconds: predicted.iterationSeconds,
                           measuredStepSeconds: timed.min() ?? .nan, medianStepSeconds: Self.median(timed),
                           predictedSeconds: predicted.computeSeconds, measuredSeconds: seconds.reduce(0, +))
        }
    }

    static func median(_ xs: [Double]) -> Double {
        guard !xs.isEmpty else { return .nan }
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    func lossValidation(_ spec: ValidationSuite.Loss) throws -> LossValidation {
        let (base, source) = try TrainConfigLoader.load(path: spec.proxy)
        func point(_ width: Int, _ what: String) throws -> LossPoint {
            try LossPredictor.point(base, width: width, path: spec.proxy, source: source, store: store, corpora: corpora,
                                    outputRoot: outputRoot, command: command, toolVersion: toolVersion,
                                    log: { log("loss \(what): \($0)") })
        }
        let proxies = try spec.widths.map { try point($0, "proxy") }
        let targets = try spec.targets.map { try point($0, "target") }
        let prediction = LossPrediction.make(source: spec.proxy, proxies: proxies,
                                             targets: targets.map { ($0.width, $0.parameters) })
        guard let fit = prediction.fit else {
            return LossValidation(proxies: proxies, fit: nil, fitFailure: prediction.fitFailure, targets: [], unpredicted: targets)
        }
        return LossValidation(proxies: proxies, fit: fit, fitFailure: nil,
                              targets: zip(targets, prediction.targets).map { LossTarget(point: $0, ratio: $1.ratio, predicted: $1.predicted) },
                              unpredicted: [])
    }
}

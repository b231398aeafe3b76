import Foundation
import Corpus
import Growth
import LinearAlgebra
import MiniGPT
import ModelKit

/// Options that are not part of the experiment (where files go, resuming, test hooks).
public struct TrainOptions: Sendable {
    public var outputDirectory: String
    public var resume = false
    /// Overrides the config's data.dir.
    public var corporaDirectory: String?
    /// Test hook: the process kills itself with SIGKILL right after this step (simulates a crash between
    /// checkpoints).
    public var sigkillAfterStep: Int?
    /// Test hook: leave the loop right after this step without a final checkpoint (an in-process crash).
    public var stopAfterStep: Int?
    public var quiet = false
    /// The config file, named in errors about the config (memory, corpora).
    public var configPath: String?

    public init(outputDirectory: String) { self.outputDirectory = outputDirectory }

    public var checkpointPath: String { (outputDirectory as NSString).appendingPathComponent("checkpoint.ckpt") }
}

/// Receives the run's results as they happen (the results database in the CLI).
public protocol TrainingRecorder: AnyObject {
    /// Called at each checkpoint and at the end with the full history so far.
    func record(history: TrainingHistory) throws
}

/// The training loop: micro-batches from the domain mixture, gradient accumulation, global-norm clipping,
/// AdamW on the warmup-cosine schedule, evaluation every `eval_every` steps, atomic checkpoints every
/// `checkpoint_every` steps, and NaN/Inf detection that stops the run as diverged.
public final class Trainer {
    public let config: TrainConfig
    public let options: TrainOptions
    /// The run on the step axis: stages, growth events, shapes, masks, learning rates.
    public let plan: TrainingPlan
    /// The model and its optimizer; replaced by grown ones at each growth event.
    public private(set) var model: GPT<Float>
    public private(set) var optimizer: AdamW
    public let domains: [TextDomain]
    public let evaluator: Evaluator
    public private(set) var sampler: MixtureSampler
    public private(set) var history = TrainingHistory()
    public private(set) var completedSteps = 0
    public private(set) var resumedFromStep: Int?
    /// The results-database run of the process that wrote the checkpoint we resumed from.
    public private(set) var previousRunId: Int64?
    public var runId: Int64?
    let progress: ProgressLine
    private let windows: UnsafeMutablePointer<Int32>

    public init(config: TrainConfig, options: TrainOptions) throws {
        self.config = config
        self.options = options
        BLASThreads.set(config.threads)
        Parallel.threads = config.threads
        let configPath = options.configPath ?? config.name
        plan = config.plan
        // Before any allocation: refuse a shape whose buffers exceed the machine's memory, naming the field.
        try TrainingCheck.requireMemory(config, plan: plan, path: configPath)
        domains = try Self.loadDomains(config, corporaDirectory: options.corporaDirectory, configPath: configPath)
        let first = plan.shape(afterStep: 0)
        model = try GPT<Float>(architecture: first, parametrization: config.parametrization(for: first),
                               maxBatch: config.training.microBatch, seed: config.seed)
        optimizer = AdamW(config: config.optimizer, parameters: model.parameters, parametrization: model.parametrization)
        evaluator = try Evaluator(domains: domains, sequenceLength: config.model.sequenceLength,
                                  evalBytes: config.data.evalBytes, weightings: config.data.weightings)
        sampler = MixtureSampler(names: config.data.mixture.map(\.domain), weights: config.data.mixture.map(\.weight),
                                 seed: config.seed)
        progress = ProgressLine(every: config.training.logEvery)
        windows = .allocate(capacity: config.training.microBatch * (config.model.sequenceLength + 1))
        if options.resume { try restore() }
    }

    deinit { windows.deallocate() }

    /// "not a number" / "infinite" rather than Swift's "nan" / "inf" in a sentence a user reads.
    static func describeNonFinite(_ x: Double) -> String {
        x.isNaN ? "not a number" : x.isInfinite ? "infinite" : String(format: "%.4g", x)
    }

    /// Identifies the experiment (`TrainConfig.fingerprint`).
    public var fingerprint: String { config.fingerprint }

    private func restore() throws {
        let path = options.checkpointPath
        guard FileManager.default.fileExists(atPath: path) else {
            throw CheckpointError("\(path): no checkpoint to resume from (run without --resume to start fresh)")
        }
        let header = try Checkpoint.read(path: path) { header in
            guard header.configFingerprint == fingerprint else {
                throw CheckpointError("\(path): checkpoint was written by a different configuration ('\(header.configName)', fingerprint \(header.configFingerprint); this config's is \(fingerprint)); resume with the same config or start fresh without --resume")
            }
            guard header.step >= 0 && header.step <= plan.totalSteps else {
                throw CheckpointError("\(path): checkpoint says step \(header.step), outside this run's 0...\(plan.totalSteps)")
            }
            // A growth schedule's checkpoint holds the shape in force after its step.
            let shape = plan.shape(afterStep: header.step)
            if let saved = header.shape, saved != shape {
                throw CheckpointError("\(path): checkpoint holds a model of \(saved.layers) layers, width \(saved.hidden) at step \(header.step), but the schedule has \(shape.layers) layers, width \(shape.hidden) there")
            }
            if shape != model.architecture {
                model = try GPT<Float>(architecture: shape, parametrization: config.parametrization(for: shape),
                                       maxBatch: config.training.microBatch, seed: config.seed)
                optimizer = AdamW(config: config.optimizer, parameters: model.parameters, parametrization: model.parametrization)
            }
            guard header.tensorNames == model.parameters.tensors.map(\.name) else {
                throw CheckpointError("\(path): checkpoint's parameter tensors do not match this model's")
            }
            let p = model.parameters.values, m = optimizer.firstMoment, v = optimizer.secondMoment
            return [UnsafeMutableBufferPointer(start: p.pointer, count: p.count),
                    UnsafeMutableBufferPointer(start: m.pointer, count: m.count),
                    UnsafeMutableBufferPointer(start: v.pointer, count: v.count)]
        }
        do { try sampler.restore(header.sampler) } catch {
            throw CheckpointError("\(path): checkpoint header field sampler: \(error)")
        }
        optimizer.step = header.step
        completedSteps = header.step
        history = header.history
        resumedFromStep = header.step
        previousRunId = header.runId
    }

    private func saveCheckpoint() throws {
        let p = model.parameters.values, m = optimizer.firstMoment, v = optimizer.secondMoment
        var header = CheckpointHeader(formatVersion: Checkpoint.formatVersion, configFingerprint: fingerprint,
                                      configName: config.name, step: completedSteps,
                                      tokens: plan.tokens(throughStep: completedSteps), sampler: sampler.state,
                                      parameterCount: p.count, tensorNames: model.parameters.tensors.map(\.name),
                                      history: history, runId: runId)
        if config.schedule != nil {
            header.stage = plan.stage(at: max(1, completedSteps))
            header.shape = model.architecture
            header.mask = model.growthMask
        }
        try Checkpoint.write(path: options.checkpointPath, header: header, arrays: [
            UnsafeBufferPointer(start: p.pointer, count: p.count),
            UnsafeBufferPointer(start: m.pointer, count: m.count),
            UnsafeBufferPointer(start: v.pointer, count: v.count),
        ])
    }

    /// Applies a growth event: the grown model behind masks at c = 0 (`Grower`), its parametrisation at the new
    /// shape (µP's per-role LRs and init for the new width), and AdamW state moved along the same tensor map:
    /// old coordinates keep their moments (rescaled with any rescaled tensor so m/√v is unchanged), new ones
    /// start at zero, and the step count — AdamW's bias-correction exponent — carries on. With zero moments and
    /// a large step, a new coordinate's first update is (1−β₁)/√(1−β₂) ≈ 0.45 of a full one at β₂ = 0.95
    /// (MSG's choice: `transfer_states` keeps `step`); masked at c = 0 in the first step, new weights see zero
    /// gradient and do not move.
    private func grow(_ event: GrowthEvent) throws {
        let parametrization = config.parametrization(for: event.growth.to)
        let index = plan.events.firstIndex(of: event) ?? 0
        let seed = config.seed ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1))
        let (grown, map) = try Grower.grow(model, step: event.growth, parametrization: parametrization, seed: seed)
        let next = AdamW(config: config.optimizer, parameters: grown.parameters, parametrization: parametrization)
        Grower.transfer(map, from: optimizer.firstMoment.pointer, model.parameters, to: next.firstMoment.pointer,
                        grown.parameters, scalePower: -1, stateOnly: true)
        Grower.transfer(map, from: optimizer.secondMoment.pointer, model.parameters, to: next.secondMoment.pointer,
                        grown.parameters, scalePower: -2, stateOnly: true)
        next.step = optimizer.step
        model = grown
        optimizer = next
    }

    /// Sets the mask of the growth ramping at `step`, or removes it once the ramp has ended.
    private func updateMask(forStep step: Int) {
        if let (event, value) = plan.ramp(at: step) {
            model.setGrowthMask(event.growth.mask(value: value))
        } else if model.growthMask != nil {
            model.setGrowthMask(nil)
        }
    }

    /// Fraction of the counted FLOPs the kernels execute (block-causal attention skips part of the s×s square).
    public var executedFlopFraction: Double { GPT<Float>.executedFlopFraction(model.architecture) }

    /// Runs to `training.steps` (or until divergence) and returns the summary.
    public func run(recorder: TrainingRecorder? = nil) throws -> TrainSummary {
        let wallStart = Date()
        let loop = config.training
        let t = config.model.sequenceLength
        var status = TrainStatus.completed
        var message: String?
        var trainSeconds = 0.0
        var stepsThisProcess = 0
        if let r = resumedFromStep, !options.quiet {
            progress.note("resumed from \(options.checkpointPath) at step \(r)")
        }
        var step = completedSteps
        while step < loop.steps {
            step += 1
            // A growth is part of the step that first runs the grown model (its time counts as training time).
            let t0 = DispatchTime.now().uptimeNanoseconds
            if let event = plan.event(at: step) {
                try grow(event)
                if !options.quiet { progress.note(Report.growthLine(event)) }
            }
            updateMask(forStep: step)
            let batch = plan.batchSequences(at: step)
            let tokensPerStep = Double(batch * t)
            model.parameters.zeroGradients()
            var lossSum = 0.0
            for _ in 0..<(batch / loop.microBatch) {
                for b in 0..<loop.microBatch {
                    sampler.nextWindow(from: domains, length: t + 1, into: windows + b * (t + 1))
                }
                lossSum += model.forward(windows: windows, batch: loop.microBatch)
                model.backward(lossWeight: 1 / tokensPerStep)
            }
            let loss = lossSum / tokensPerStep
            if !loss.isFinite {
                status = .diverged
                message = "training diverged at step \(step): the training loss is \(Self.describeNonFinite(loss)) (last finite loss \(history.steps.last.map { String(format: "%.4f", $0.loss) } ?? "none")); the run stops here and is marked diverged (lower optimizer.lr, or raise warmup_steps)"
                break
            }
            let norm = GradientClipping.clip(model.parameters.gradients, maxNorm: config.optimizer.gradientClip)
            if !norm.isFinite {
                status = .diverged
                message = "training diverged at step \(step): the gradient norm is \(Self.describeNonFinite(norm)) (loss \(String(format: "%.4g", loss))); the run stops here and is marked diverged (lower optimizer.lr, or raise warmup_steps)"
                break
            }
            let lr = plan.learningRate(at: step)
            optimizer.update(model.parameters, lr: lr)
            completedSteps = step
            let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            trainSeconds += dt
            stepsThisProcess += 1
            history.steps.append(.init(step: step, tokens: plan.tokens(throughStep: step), loss: loss, learningRate: lr,
                                       gradientNorm: norm, seconds: dt,
                                       stage: config.schedule == nil ? nil : plan.stage(at: step),
                                       mask: model.growthMask?.value))
            if !options.quiet {
                // Rate over this process's steps; the ETA prices the remaining steps' counted FLOPs at that rate
                // (later stages of a growth schedule are larger).
                let firstStep = step - stepsThisProcess
                let flopRate = plan.flops(after: firstStep, through: step) / trainSeconds
                progress.report(ProgressReport(step: step, steps: loop.steps, loss: loss,
                                               tokensPerSecond: (plan.tokens(throughStep: step) - plan.tokens(throughStep: firstStep)) / trainSeconds,
                                               gflopsPerSecond: flopRate / 1e9,
                                               etaSeconds: plan.flops(after: step, through: loop.steps) / flopRate, learningRate: lr))
            }
            if step % loop.evalEvery == 0 || step == loop.steps {
                let result = evaluator.evaluate(model)
                history.evaluations.append(.init(step: step, tokens: plan.tokens(throughStep: step), result: result))
                if !options.quiet { progress.note(Report.evaluationLine(step: step, result)) }
            }
            if (loop.checkpointEvery > 0 && step % loop.checkpointEvery == 0) || step == loop.steps {
                history.elapsedSeconds += trainSeconds
                try saveCheckpoint()
                history.elapsedSeconds -= trainSeconds
                try recorder?.record(history: history)
            }
            if options.sigkillAfterStep == step { kill(getpid(), SIGKILL) }
            if options.stopAfterStep == step { break }
        }
        history.elapsedSeconds += trainSeconds
        try recorder?.record(history: history)
        if let message, !options.quiet { progress.note("error: " + message) }
        return summary(status: status, message: message, trainSeconds: trainSeconds, stepsThisProcess: stepsThisProcess,
                       wallSeconds: Date().timeIntervalSince(wallStart))
    }

    func summary(status: TrainStatus, message: String?, trainSeconds: Double, stepsThisProcess: Int,
                 wallSeconds: Double) -> TrainSummary {
        let counts = ParameterCount(model.architecture)
        let firstStep = completedSteps - stepsThisProcess
        let tokensThisProcess = plan.tokens(throughStep: completedSteps) - plan.tokens(throughStep: firstStep)
        let tokensPerSecond = trainSeconds > 0 ? tokensThisProcess / trainSeconds : 0
        let flopRate = trainSeconds > 0 ? plan.flops(after: firstStep, through: completedSteps) / trainSeconds : 0
        let baselines = domains.map { d -> DomainBaseline in
            let u = UnigramBaseline(training: d.train)
            let n = min(config.data.evalBytes, d.validation.count)
            return DomainBaseline(domain: d.name, bitsPerByte: u.bitsPerByte(on: d.validation[1..<n]))
        }
        let baselineScores = baselines.map { DomainScore(domain: $0.domain, loss: $0.bitsPerByte * log(2), bitsPerByte: $0.bitsPerByte, tokens: 0) }
        return TrainSummary(
            name: config.name, status: status, message: message, model: model.architecture, parameters: counts.total,
            nonEmbeddingParameters: counts.nonEmbedding, steps: completedSteps,
            tokens: plan.tokens(throughStep: completedSteps), threads: config.threads,
            finalTrainLoss: history.steps.last?.loss, evaluation: history.evaluations.last?.result,
            unigramBitsPerByte: baselines, unigramWeighted: Evaluator.weighted(baselineScores, config.data.weightings),
            tokensPerSecond: tokensPerSecond, gflopsPerSecond: flopRate / 1e9,
            attentionExecutedFraction: model.executedAttentionFraction, executedFlopFraction: executedFlopFraction,
            wallSeconds: wallSeconds, trainSeconds: history.elapsedSeconds, resumedFromStep: resumedFromStep,
            checkpoint: options.checkpointPath, runId: runId, curve: history.steps, evaluations: history.evaluations,
            countedFlops: plan.flops(after: 0, through: completedSteps),
            executedFlops: plan.flops(after: 0, through: completedSteps, executed: true),
            stages: config.schedule == nil ? nil : StageSummary.all(plan: plan, history: history, completedSteps: completedSteps))
    }
}

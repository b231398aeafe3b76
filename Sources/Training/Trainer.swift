import Foundation
import Corpus
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
    public let model: GPT<Float>
    public let optimizer: AdamW
    public let domains: [TextDomain]
    public let evaluator: Evaluator
    public let schedule: LearningRateSchedule
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
        let dir = options.corporaDirectory ?? config.data.directory
        domains = try config.data.mixture.map {
            try TextDomain.load(name: $0.domain, directory: dir, validationFraction: config.data.validationFraction,
                                seed: config.seed)
        }
        for d in domains where d.train.count <= config.model.sequenceLength + 1 {
            throw CorpusError("domain \(d.name): training stream has \(d.train.count) bytes, fewer than one window of seq_length + 1 = \(config.model.sequenceLength + 1)")
        }
        model = try GPT<Float>(architecture: config.model, parametrization: config.parametrization,
                               maxBatch: config.training.microBatch, seed: config.seed)
        optimizer = AdamW(config: config.optimizer, parameters: model.parameters, parametrization: config.parametrization)
        evaluator = try Evaluator(domains: domains, sequenceLength: config.model.sequenceLength,
                                  evalBytes: config.data.evalBytes, weightings: config.data.weightings)
        schedule = LearningRateSchedule(peak: config.optimizer.learningRate, minimum: config.optimizer.minLearningRate,
                                        warmup: config.optimizer.warmupSteps, total: config.training.steps)
        sampler = MixtureSampler(names: config.data.mixture.map(\.domain), weights: config.data.mixture.map(\.weight),
                                 seed: config.seed)
        progress = ProgressLine(every: config.training.logEvery)
        windows = .allocate(capacity: config.training.microBatch * (config.model.sequenceLength + 1))
        if options.resume { try restore() }
    }

    deinit { windows.deallocate() }

    /// Identifies the experiment: everything that changes the numbers except the thread count.
    public var fingerprint: String {
        struct Key: Encodable {
            var seed: UInt64, model: ModelArchitecture, parametrization: Parametrization, data: DataConfig
            var optimizer: OptimizerConfig, steps: Int, batch: Int, micro: Int
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        let key = Key(seed: config.seed, model: config.model, parametrization: config.parametrization, data: config.data,
                      optimizer: config.optimizer, steps: config.training.steps, batch: config.training.batchSequences,
                      micro: config.training.microBatch)
        let data = (try? e.encode(key)) ?? Data()
        return String(data.withUnsafeBytes { CRC32.checksum($0) }, radix: 16)
    }

    private func restore() throws {
        let path = options.checkpointPath
        guard FileManager.default.fileExists(atPath: path) else {
            throw CheckpointError("\(path): no checkpoint to resume from (run without --resume to start fresh)")
        }
        let p = model.parameters.values, m = optimizer.firstMoment, v = optimizer.secondMoment
        let header = try Checkpoint.read(path: path, into: [
            UnsafeMutableBufferPointer(start: p.pointer, count: p.count),
            UnsafeMutableBufferPointer(start: m.pointer, count: m.count),
            UnsafeMutableBufferPointer(start: v.pointer, count: v.count),
        ])
        guard header.configFingerprint == fingerprint else {
            throw CheckpointError("\(path): checkpoint was written by a different configuration ('\(header.configName)', fingerprint \(header.configFingerprint); this config's is \(fingerprint)); resume with the same config or start fresh without --resume")
        }
        guard header.tensorNames == model.parameters.tensors.map(\.name) else {
            throw CheckpointError("\(path): checkpoint's parameter tensors do not match this model's")
        }
        try sampler.restore(header.sampler)
        optimizer.step = header.step
        completedSteps = header.step
        history = header.history
        resumedFromStep = header.step
        previousRunId = header.runId
    }

    private func saveCheckpoint() throws {
        let p = model.parameters.values, m = optimizer.firstMoment, v = optimizer.secondMoment
        let header = CheckpointHeader(formatVersion: Checkpoint.formatVersion, configFingerprint: fingerprint,
                                      configName: config.name, step: completedSteps,
                                      tokens: Double(completedSteps * config.tokensPerStep), sampler: sampler.state,
                                      parameterCount: p.count, tensorNames: model.parameters.tensors.map(\.name),
                                      history: history, runId: runId)
        try Checkpoint.write(path: options.checkpointPath, header: header, arrays: [
            UnsafeBufferPointer(start: p.pointer, count: p.count),
            UnsafeBufferPointer(start: m.pointer, count: m.count),
            UnsafeBufferPointer(start: v.pointer, count: v.count),
        ])
    }

    /// Counted training FLOPs per token (ModelKit's per-op model: the same cost model as the simulator).
    public var flopsPerToken: Double { TrainingFlopsPerToken(config.model, recompute: .none).model }

    /// Fraction of the counted FLOPs the kernels execute (block-causal attention skips part of the s×s square).
    public var executedFlopFraction: Double {
        let f = ForwardFlopsPerToken(config.model)
        let skipped = Double(f.layers) * f.attentionCore * (1 - model.executedAttentionFraction)
        return (f.total - skipped) / f.total
    }

    /// Runs to `training.steps` (or until divergence) and returns the summary.
    public func run(recorder: TrainingRecorder? = nil) throws -> TrainSummary {
        let wallStart = Date()
        let loop = config.training
        let t = config.model.sequenceLength
        let tokensPerStep = Double(config.tokensPerStep)
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
            let t0 = DispatchTime.now().uptimeNanoseconds
            model.parameters.zeroGradients()
            var lossSum = 0.0
            for _ in 0..<loop.accumulation {
                for b in 0..<loop.microBatch {
                    sampler.nextWindow(from: domains, length: t + 1, into: windows + b * (t + 1))
                }
                lossSum += model.forward(windows: windows, batch: loop.microBatch)
                model.backward(lossWeight: 1 / tokensPerStep)
            }
            let loss = lossSum / tokensPerStep
            if !loss.isFinite {
                status = .diverged
                message = "training diverged at step \(step): the training loss is \(loss) (last finite loss \(history.steps.last.map { String(format: "%.4f", $0.loss) } ?? "none")); the run stops here and is marked diverged (lower optimizer.lr, or raise warmup_steps)"
                break
            }
            let norm = GradientClipping.clip(model.parameters.gradients, maxNorm: config.optimizer.gradientClip)
            if !norm.isFinite {
                status = .diverged
                message = "training diverged at step \(step): the gradient norm is \(norm) (loss \(loss)); the run stops here and is marked diverged"
                break
            }
            let lr = schedule.rate(at: step)
            optimizer.update(model.parameters, lr: lr)
            completedSteps = step
            let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            trainSeconds += dt
            stepsThisProcess += 1
            history.steps.append(.init(step: step, tokens: Double(step) * tokensPerStep, loss: loss, learningRate: lr,
                                       gradientNorm: norm, seconds: dt))
            if !options.quiet {
                let perStep = trainSeconds / Double(stepsThisProcess)
                progress.report(ProgressReport(step: step, steps: loop.steps, loss: loss,
                                               tokensPerSecond: tokensPerStep / perStep,
                                               gflopsPerSecond: tokensPerStep * flopsPerToken / perStep / 1e9,
                                               etaSeconds: perStep * Double(loop.steps - step), learningRate: lr))
            }
            if step % loop.evalEvery == 0 || step == loop.steps {
                let result = evaluator.evaluate(model)
                history.evaluations.append(.init(step: step, tokens: Double(step) * tokensPerStep, result: result))
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
        let counts = ParameterCount(config.model)
        let tokensPerSecond = trainSeconds > 0 ? Double(stepsThisProcess * config.tokensPerStep) / trainSeconds : 0
        let baselines = domains.map { d -> DomainBaseline in
            let u = UnigramBaseline(training: d.train)
            let n = min(config.data.evalBytes, d.validation.count)
            return DomainBaseline(domain: d.name, bitsPerByte: u.bitsPerByte(on: d.validation[1..<n]))
        }
        let baselineScores = baselines.map { DomainScore(domain: $0.domain, loss: $0.bitsPerByte * log(2), bitsPerByte: $0.bitsPerByte, tokens: 0) }
        return TrainSummary(
            name: config.name, status: status, message: message, model: config.model, parameters: counts.total,
            nonEmbeddingParameters: counts.nonEmbedding, steps: completedSteps,
            tokens: Double(completedSteps * config.tokensPerStep), threads: config.threads,
            finalTrainLoss: history.steps.last?.loss, evaluation: history.evaluations.last?.result,
            unigramBitsPerByte: baselines, unigramWeighted: Evaluator.weighted(baselineScores, config.data.weightings),
            tokensPerSecond: tokensPerSecond, gflopsPerSecond: tokensPerSecond * flopsPerToken / 1e9,
            attentionExecutedFraction: model.executedAttentionFraction, executedFlopFraction: executedFlopFraction,
            wallSeconds: wallSeconds, trainSeconds: history.elapsedSeconds, resumedFromStep: resumedFromStep,
            checkpoint: options.checkpointPath, runId: runId, curve: history.steps, evaluations: history.evaluations)
    }
}

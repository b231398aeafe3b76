import Foundation
import Corpus
import LinearAlgebra
import MiniGPT
import ModelKit
import Training

/// Problems that stop a coordinate check before it runs.
public struct CoordCheckError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What to run: widths, steps and the overrides of the config's parametrisation.
public struct CoordCheckOptions: Sendable, Equatable {
    public var widths: [Int]
    /// Forward passes recorded per width: t = 1 (at init) … steps, with t − 1 optimizer updates before t.
    public var steps: Int
    /// Overrides `parametrization.kind`.
    public var kind: ParametrizationKind?
    /// Overrides `learning_rate` and `matrix_learning_rate` (the base-width LRs).
    public var learningRate: Double?
    /// Overrides `data.dir`.
    public var corporaDirectory: String?
    /// Sequences in the fixed batch (default: the config's `training.batch_sequences`).
    public var batchSequences: Int?
    /// Initialisation seeds averaged per width (config seed, +1, …; microsoft/mup's `nseeds`). The batch is
    /// the same for every seed.
    public var seeds: Int
    /// Overrides `zero_query` and `zero_readout` together (microsoft/mup's fix for the two init-time
    /// exceptions: attention logits and logits start at zero instead of ~width^-1/2).
    public var zeroInit: Bool?

    public init(widths: [Int], steps: Int, kind: ParametrizationKind? = nil, learningRate: Double? = nil,
                corporaDirectory: String? = nil, batchSequences: Int? = nil, seeds: Int = 1, zeroInit: Bool? = nil) {
        self.widths = widths; self.steps = steps; self.kind = kind; self.learningRate = learningRate
        self.corporaDirectory = corporaDirectory; self.batchSequences = batchSequences; self.seeds = seeds
        self.zeroInit = zeroInit
    }
}

/// mean |x| of one activation at one width and step: the mean over layers, and each layer's value.
public struct ActivationValue: Codable, Sendable, Equatable {
    public var activation: ActivationKind
    public var mean: Double
    public var perLayer: [Double]
    /// Standard error of `mean` over the init seeds (sample standard deviation ÷ √seeds); nil with one seed.
    public var standardError: Double? = nil
    /// Standard error of each layer's value over the init seeds; nil with one seed.
    public var perLayerStandardError: [Double]? = nil
    /// Each seed's per-layer values, seed by seed (seed, seed + 1, …); nil with one seed.
    public var seedPerLayer: [[Double]]? = nil
}

/// One recorded forward pass.
public struct StepRecord: Codable, Sendable, Equatable {
    /// 1 = at initialisation, before any update.
    public var step: Int
    /// Mean next-token loss (nats) on the fixed batch.
    public var loss: Double
    public var activations: [ActivationValue]

    public func value(_ kind: ActivationKind) -> Double? { activations.first { $0.activation == kind }?.mean }
}

/// Every step of one width.
public struct WidthRecord: Codable, Sendable, Equatable {
    public var width: Int
    public var headDim: Int
    public var ffnHidden: Int
    public var parameters: Int
    public var steps: [StepRecord]
    /// The loss or the activations stopped being finite (later steps are not recorded).
    public var diverged: Bool
    public var seconds: Double
}

/// The outcome of a coordinate check (`growthbench coordcheck`), with the verdict.
public struct CoordCheckResult: Codable, Sendable, Equatable {
    public var name: String
    public var parametrization: ParametrizationKind
    public var baseHidden: Int
    public var widths: [Int]
    public var steps: Int
    /// Base-width LRs (constant over the check: no warmup or decay) and the rest of the recipe.
    public var learningRate: Double
    public var matrixLearningRate: Double
    public var weightDecay: Double
    public var gradientClip: Double
    public var zeroQuery: Bool
    public var zeroReadout: Bool
    public var layers: Int
    public var heads: Int
    public var sequenceLength: Int
    public var batchSequences: Int
    public var seed: UInt64
    /// Initialisation seeds averaged (seed, seed + 1, …).
    public var seeds: Int
    public var runs: [WidthRecord]
    public var slopes: [SlopeEntry]
    public var verdict: Verdict

    /// mean |x| of `kind` at `step` for every width (nil where a width did not record that step).
    public func curve(_ kind: ActivationKind, step: Int) -> [(width: Int, value: Double?)] {
        runs.map { r in (r.width, r.steps.first { $0.step == step }?.value(kind)) }
    }
}

/// The coordinate check of Tensor Programs V (microsoft/mup's `get_coord_data`): for each width, train a few
/// steps on one fixed batch (the same batch every step and at every width, same seed), recording mean |x| of
/// every activation at each step; then fit the log-log slope of each activation against width per step.
///
/// The recipe is the config's (AdamW betas, ε, weight decay, clipping) with the base-width LR held constant
/// (no warmup or decay: the check is about the size of an update at that LR, and warmup would hide it for
/// the first steps). The width-dependent parts come from `TrainConfig.atWidth`, i.e. the parametrisation
/// under test.
public enum CoordCheck {
    /// The config with `options`' overrides applied (kind, LR), still at its own width.
    public static func prepare(_ config: TrainConfig, _ options: CoordCheckOptions) throws -> TrainConfig {
        guard var scaling = config.widthScaling else {
            throw CoordCheckError("\(config.name): the coordinate check needs `parametrization: {kind: sp|mup, base_hidden: …, learning_rate: …}` in the config (hyper-parameters given at a base width)")
        }
        if let kind = options.kind { scaling.kind = kind }
        if let zero = options.zeroInit { scaling.zeroQuery = zero; scaling.zeroReadout = zero }
        if let lr = options.learningRate {
            guard lr > 0 && lr.isFinite else { throw CoordCheckError("--lr must be a positive number, found \(lr)") }
            scaling.hyper.learningRate = lr
            scaling.hyper.matrixLearningRate = lr
            scaling.hyper.minLearningRate = min(scaling.hyper.minLearningRate, lr)
        }
        var c = config
        c.widthScaling = scaling
        c.applyWidthScaling()
        return c
    }

    static func validate(_ config: TrainConfig, _ options: CoordCheckOptions) throws {
        guard options.widths.count >= 2 else {
            throw CoordCheckError("--widths needs at least two widths to fit a slope, found \(options.widths.map(String.init).joined(separator: ","))")
        }
        guard Set(options.widths).count == options.widths.count else {
            throw CoordCheckError("--widths has a repeated width: \(options.widths.map(String.init).joined(separator: ","))")
        }
        guard options.steps >= 1 else { throw CoordCheckError("--steps must be at least 1, found \(options.steps)") }
        guard options.seeds >= 1 else { throw CoordCheckError("--seeds must be at least 1, found \(options.seeds)") }
        if let b = options.batchSequences, b < 1 { throw CoordCheckError("batch must be at least 1 sequence, found \(b)") }
        for w in options.widths { _ = try config.atWidth(w) }
    }

    /// The fixed batch: the first `batch` windows the config's mixture sampler draws (seeded by the config).
    public static func fixedBatch(_ config: TrainConfig, batch: Int, corporaDirectory: String?) throws -> [Int32] {
        let dir = corporaDirectory ?? config.data.directory
        let domains = try config.data.mixture.map {
            try TextDomain.load(name: $0.domain, directory: dir, validationFraction: config.data.validationFraction,
                                seed: config.seed)
        }
        let length = config.model.sequenceLength + 1
        for d in domains where d.train.count <= length {
            throw CorpusError("domain \(d.name): training stream has \(d.train.count) bytes, fewer than one window of seq_length + 1 = \(length)")
        }
        var sampler = MixtureSampler(names: config.data.mixture.map(\.domain), weights: config.data.mixture.map(\.weight),
                                     seed: config.seed)
        var windows = [Int32](repeating: 0, count: batch * length)
        windows.withUnsafeMutableBufferPointer { w in
            for b in 0..<batch { sampler.nextWindow(from: domains, length: length, into: w.baseAddress! + b * length) }
        }
        return windows
    }

    /// Where a running check is, for progress displays.
    public struct Position: Sendable {
        public var width: Int
        public var widthIndex: Int
        /// 0-based initialisation seed (of `CoordCheckOptions.seeds`).
        public var seed: Int
        public var step: Int
    }

    /// Runs the check. `progress` is called before each recorded step.
    public static func run(config original: TrainConfig, options: CoordCheckOptions,
                           progress: ((Position) -> Void)? = nil) throws -> CoordCheckResult {
        let config = try prepare(original, options)
        try validate(config, options)
        let scaling = config.widthScaling!
        let batch = options.batchSequences ?? config.training.batchSequences
        BLASThreads.set(config.threads)
        Parallel.threads = config.threads
        let windows = try fixedBatch(config, batch: batch, corporaDirectory: options.corporaDirectory)
        var runs: [WidthRecord] = []
        for (index, width) in options.widths.enumerated() {
            var c = try config.atWidth(width)
            var perSeed: [WidthRecord] = []
            for k in 0..<options.seeds {
                c.seed = config.seed &+ UInt64(k)
                perSeed.append(try runWidth(c, windows: windows, batch: batch, steps: options.steps) {
                    progress?(Position(width: width, widthIndex: index, seed: k, step: $0))
                })
            }
            runs.append(average(perSeed))
        }
        let slopes = Verdict.slopes(runs: runs, widths: options.widths, steps: options.steps, kind: scaling.kind,
                                    zeroQuery: scaling.zeroQuery, zeroReadout: scaling.zeroReadout)
        return CoordCheckResult(
            name: original.name, parametrization: scaling.kind, baseHidden: scaling.baseHidden, widths: options.widths,
            steps: options.steps, learningRate: scaling.hyper.learningRate,
            matrixLearningRate: scaling.hyper.matrixLearningRate, weightDecay: config.optimizer.weightDecay,
            gradientClip: config.optimizer.gradientClip, zeroQuery: scaling.zeroQuery, zeroReadout: scaling.zeroReadout,
            layers: config.model.layers, heads: config.model.heads, sequenceLength: config.model.sequenceLength,
            batchSequences: batch, seed: config.seed, seeds: options.seeds, runs: runs, slopes: slopes,
            verdict: Verdict(slopes: slopes, kind: scaling.kind, seeds: options.seeds))
    }

    /// The seeds' records of one width averaged step by step (mean |x| and loss); a step is kept only when
    /// every seed recorded it, and the width counts as diverged when any seed diverged.
    static func average(_ records: [WidthRecord]) -> WidthRecord {
        guard var out = records.first, records.count > 1 else { return records[0] }
        let n = Double(records.count)
        let steps = records.map(\.steps.count).min() ?? 0
        out.steps = (0..<steps).map { i in
            var s = records[0].steps[i]
            s.loss = records.map { $0.steps[i].loss }.reduce(0, +) / n
            s.activations = s.activations.indices.map { a in
                var v = s.activations[a]
                let means = records.map { $0.steps[i].activations[a].mean }
                v.mean = means.reduce(0, +) / n
                v.standardError = standardError(means)
                v.seedPerLayer = records.map { $0.steps[i].activations[a].perLayer }
                let layers = v.perLayer.indices.map { l in records.map { $0.steps[i].activations[a].perLayer[l] } }
                v.perLayer = layers.map { $0.reduce(0, +) / n }
                v.perLayerStandardError = layers.map(standardError)
                return v
            }
            return s
        }
        out.diverged = records.contains(where: \.diverged)
        out.seconds = records.map(\.seconds).reduce(0, +)
        return out
    }

    /// Standard error of the mean of `xs` (sample standard deviation ÷ √count); 0 for fewer than two values.
    static func standardError(_ xs: [Double]) -> Double {
        guard xs.count > 1 else { return 0 }
        let n = Double(xs.count), m = xs.reduce(0, +) / n
        let variance = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
        return (variance / n).squareRoot()
    }

    /// One width: t = 1 … steps forward passes on the fixed batch with the probe on, an AdamW update (at the
    /// constant base LR, role multipliers from the parametrisation) between consecutive ones.
    static func runWidth(_ c: TrainConfig, windows: [Int32], batch: Int, steps: Int,
                         progress: (Int) -> Void) throws -> WidthRecord {
        let start = Date()
        let model = try GPT<Float>(architecture: c.model, parametrization: c.parametrization, maxBatch: batch, seed: c.seed)
        let optimizer = AdamW(config: c.optimizer, parameters: model.parameters, parametrization: c.parametrization)
        let probe = model.enableActivationProbe()
        let tokens = Double(batch * c.model.sequenceLength)
        var records: [StepRecord] = []
        var diverged = false
        windows.withUnsafeBufferPointer { w in
            for t in 1...steps {
                progress(t)
                model.parameters.zeroGradients()
                let loss = model.forward(windows: w.baseAddress!, batch: batch) / tokens
                let values = ActivationKind.allCases.map {
                    ActivationValue(activation: $0, mean: probe.mean($0), perLayer: probe.perLayer($0))
                }
                records.append(StepRecord(step: t, loss: loss, activations: values))
                if !loss.isFinite || values.contains(where: { !$0.mean.isFinite }) { diverged = true; break }
                if t == steps { break }  // the last update would not be observed
                model.backward(lossWeight: 1 / tokens)
                let norm = GradientClipping.clip(model.parameters.gradients, maxNorm: c.optimizer.gradientClip)
                if !norm.isFinite { diverged = true; break }
                optimizer.update(model.parameters, lr: c.optimizer.learningRate)
            }
        }
        return WidthRecord(width: c.model.hidden, headDim: c.model.headDim, ffnHidden: c.model.ffnHidden,
                           parameters: model.parameters.count, steps: records, diverged: diverged,
                           seconds: Date().timeIntervalSince(start))
    }
}

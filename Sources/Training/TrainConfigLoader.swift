import Foundation
import ConfigFile
import ModelConfig
import ModelKit
import MiniGPT

/// Reads a training config; every problem is reported as `file:line: field: expected …` (`ConfigErrors`).
public enum TrainConfigLoader {
    public static func load(path: String) throws -> (config: TrainConfig, source: String) {
        let text = try ConfigDocument.readText(path: path)
        return (try parse(text: text, path: path), text)
    }

    public static func parse(text: String, path: String) throws -> TrainConfig {
        let doc = try ConfigDocument(text: text, file: path)
        guard let root = doc.rootMapping() else { try doc.throwIfErrors(); throw ConfigErrors(doc.errors) }
        if root.has("stages") { return try parseSchedule(root, doc) }
        let (name, description, seed, threads) = readRun(root)
        let model = root.mapping("model").flatMap(readModel)
        let (parametrization, widthScaling) = readParametrizationSection(root)
        let data = root.mapping("data").flatMap(readData)
        let optimizer = root.mapping("optimizer").flatMap { readOptimizer($0, lrFrom: widthScaling != nil ? .parametrization : .optimizer) }
        let loop = root.mapping("training").flatMap(readLoop)
        root.rejectUnknownKeys()

        if let model, model.vocab != 256 || model.paddedVocab < 256 {
            root.mapping("model")?.report("vocab", "expected 256 (byte-level tokens), found \(model.vocab)")
        }
        if let optimizer, let loop, optimizer.warmupSteps > loop.steps {
            root.optionalMapping("optimizer")?.report("warmup_steps", "expected at most training.steps (\(loop.steps)), found \(optimizer.warmupSteps)")
        }
        try doc.throwIfErrors()
        guard let name, let model, let data, let optimizer, let loop else { throw ConfigErrors(doc.errors) }
        var config = TrainConfig(name: name, description: description, seed: UInt64(seed), threads: threads, model: model,
                                 parametrization: parametrization, widthScaling: widthScaling, data: data,
                                 optimizer: optimizer, training: loop)
        config.applyWidthScaling()
        return config
    }

    /// name, description, seed and threads: the same in plain configs and growth schedules.
    static func readRun(_ root: MappingReader) -> (name: String?, description: String, seed: Int, threads: Int) {
        let name = root.fileName("name")
        let description = root.string("description", default: "")
        let seed = root.int("seed", in: 0...Int.max, "a seed", default: 1)
        let threads = root.int("threads", in: 1...256, "a thread count", default: 2)
        return (name, description, seed, threads)
    }

    /// The optional `parametrization:` section: the high-level form (`kind`, with a width scaling) or the
    /// low-level per-role form; SP defaults without it.
    static func readParametrizationSection(_ root: MappingReader) -> (Parametrization, WidthScaling?) {
        guard let r = root.optionalMapping("parametrization") else { return (Parametrization(), nil) }
        return r.has("kind") ? (Parametrization(), readWidthScaling(r)) : (readParametrization(r), nil)
    }

    /// The scenario `model:` keys, with byte-level defaults: vocab 256, untied embeddings.
    static func readModel(_ r: MappingReader) -> ModelArchitecture? {
        ModelSection.read(r, defaultVocab: 256, defaultTied: false)
    }

    /// The high-level form: `kind: sp|mup`, `base_hidden`, Tele-FLM's seven hyper-parameters by name, and
    /// the optional zero-init of query and readout.
    static func readWidthScaling(_ r: MappingReader) -> WidthScaling? {
        let kind = r.choice("kind", ParametrizationKind.self)
        let base = r.int("base_hidden", in: ModelArchitecture.limits["hidden"]!.range, "a base width")
        func positive(_ key: String, _ d: Double? = nil) -> Double? {
            let range = key.hasSuffix("learning_rate") ? HyperRanges.learningRate : key.hasSuffix("init_std") ? HyperRanges.initStd : HyperRanges.multiplier
            let what = key.hasSuffix("learning_rate") ? "a learning rate" : key.hasSuffix("init_std") ? "a standard deviation" : "a multiplier"
            return d.map { r.double(key, in: range, what, default: $0) } ?? r.double(key, in: range, what)
        }
        let lr = positive("learning_rate")
        let matrixLR = positive("matrix_learning_rate", lr ?? 1)
        let minLR = r.double("min_learning_rate", in: 0...HyperRanges.learningRate.upperBound, "a learning rate", default: 0)
        if let lr, minLR > lr { r.report("min_learning_rate", "expected at most learning_rate (\(lr)), found \(minLR)") }
        let std = positive("init_std", 0.02)
        let matrixStd = positive("matrix_init_std", std ?? 0.02)
        let inMult = positive("input_mult", 1)
        let outMult = positive("output_mult", 1)
        let zeroQuery = r.bool("zero_query", default: false)
        let zeroReadout = r.bool("zero_readout", default: false)
        let headWidth = r.choice("head_width", default: HeadWidthRule.fixed)
        r.rejectUnknownKeys()
        guard let kind, let base, let lr, let matrixLR, let std, let matrixStd, let inMult, let outMult else { return nil }
        return WidthScaling(kind: kind, baseHidden: base,
                            hyper: HyperParameters(learningRate: lr, matrixLearningRate: matrixLR, minLearningRate: minLR,
                                                   initStd: std, matrixInitStd: matrixStd, inputMultiplier: inMult,
                                                   outputMultiplier: outMult),
                            zeroQuery: zeroQuery, zeroReadout: zeroReadout, headWidth: headWidth)
    }

    static func readParametrization(_ r: MappingReader) -> Parametrization {
        var p = Parametrization()
        p.inputMultiplier = positive(r, "input_mult", default: 1)
        p.outputMultiplier = positive(r, "output_mult", default: 1)
        p.attentionScale = r.choice("attention_scale", default: AttentionScale.inverseSqrt)
        p.scaleResidualInit = r.bool("scale_residual_init", default: true)
        if let s = r.optionalMapping("init_std") {
            for role in [ParameterRole.embedding, .position, .hidden, .readout] {
                let v = s.double(role.rawValue, in: 0...HyperRanges.initStd.upperBound, "a standard deviation", default: p.settings(role).initStd)
                update(&p, role) { $0.initStd = v }
            }
            s.rejectUnknownKeys()
        }
        if let s = r.optionalMapping("lr_mult") {
            for role in ParameterRole.allCases {
                let v = positive(s, role.rawValue, default: 1)
                update(&p, role) { $0.lrMultiplier = v }
            }
            s.rejectUnknownKeys()
        }
        r.rejectUnknownKeys()
        return p
    }

    private static func update(_ p: inout Parametrization, _ role: ParameterRole, _ f: (inout RoleSettings) -> Void) {
        switch role {
        case .embedding: f(&p.embedding)
        case .position: f(&p.position)
        case .hidden: f(&p.hidden)
        case .vector: f(&p.vector)
        case .readout: f(&p.readout)
        }
    }

    private static func positive(_ r: MappingReader, _ key: String, default d: Double) -> Double {
        r.double(key, in: HyperRanges.multiplier, "a multiplier", default: d)
    }

    static func readWeights(_ r: MappingReader?, field: String, parent: MappingReader) -> [DomainWeight] {
        guard let r else { return [] }
        var out: [DomainWeight] = []
        for (key, _) in r.node.mapping ?? [:] {
            guard let name = key.string else { continue }
            if let w = r.double(name, in: 1e-6...1e6, "a mixture weight") { out.append(DomainWeight(domain: name, weight: w)) }
        }
        if out.isEmpty { parent.report(field, "expected at least one domain: weight entry") }
        return out
    }

    static func readData(_ r: MappingReader) -> DataConfig? {
        let dir = r.string("dir", default: "corpora")
        let fraction = r.double("validation_fraction", in: 0.001...0.5, "a validation fraction", default: 0.05)
        let mixture = readWeights(r.mapping("mixture"), field: "mixture", parent: r)
        let evalBytes = Int(r.optionalQuantity("eval_bytes", in: 2...1e9, "a number of evaluation bytes") ?? 65_536)
        var weightings: [Weighting] = []
        if let w = r.optionalMapping("weightings") {
            for (key, _) in w.node.mapping ?? [:] {
                guard let name = key.string else { continue }
                let ws = readWeights(w.mapping(name), field: name, parent: w)
                for d in ws where !mixture.contains(where: { $0.domain == d.domain }) {
                    w.report(name, "expected only domains of data.mixture (\(mixture.map(\.domain).joined(separator: ", "))), found '\(d.domain)'")
                }
                weightings.append(Weighting(name: name, weights: ws))
            }
        }
        r.rejectUnknownKeys()
        if weightings.isEmpty && !mixture.isEmpty {
            // Default: the training mixture and a plain average (Tele-FLM Table 6's "direct average").
            weightings = [Weighting(name: "mixture", weights: mixture),
                          Weighting(name: "uniform", weights: mixture.map { DomainWeight(domain: $0.domain, weight: 1) })]
        }
        guard !mixture.isEmpty else { return nil }
        return DataConfig(directory: dir, validationFraction: fraction, mixture: mixture, evalBytes: evalBytes,
                          weightings: weightings)
    }

    /// Where a run's LR range and warmup are given.
    enum LearningRateSource {
        /// `optimizer.lr`, `min_lr`, `warmup_steps` (a plain config).
        case optimizer
        /// `parametrization.learning_rate` and `min_learning_rate` (`kind` is set); warmup here.
        case parametrization
        /// A growth schedule: each stage's `lr:` (peak and min in the first stage unless `kind` is set).
        case stages
    }

    /// With `parametrization.kind`, the LR range comes from `parametrization.learning_rate` and
    /// `min_learning_rate`, and `lr` / `min_lr` must not be given here; in a growth schedule the stages give
    /// LRs and warmups.
    static func readOptimizer(_ r: MappingReader, lrFrom source: LearningRateSource = .optimizer) -> OptimizerConfig? {
        let forbidden: [String] = switch source {
        case .optimizer: []
        case .parametrization: ["lr", "min_lr"]
        case .stages: ["lr", "min_lr", "warmup_steps"]
        }
        for key in forbidden where r.has(key) {
            _ = r.node(key)
            r.report(key, source == .stages
                     ? "expected no \(key) here: in a growth schedule each stage's lr: section (peak, min, warmup_samples) gives it"
                     : "expected no \(key) here: parametrization.kind is set, so parametrization.learning_rate and min_learning_rate give the LR range")
        }
        let lr = source == .optimizer ? r.double("lr", in: HyperRanges.learningRate, "a learning rate") : 1
        let minLR = source == .optimizer ? r.double("min_lr", in: 0...HyperRanges.learningRate.upperBound, "a learning rate", default: 0) : 0
        let warmup = source == .stages ? 0 : r.int("warmup_steps", in: 0...HyperRanges.steps.upperBound, "a number of warm-up steps", default: 0)
        let b1 = r.double("beta1", in: 0...0.999_999, "a first-moment decay", default: 0.9)
        let b2 = r.double("beta2", in: 0...0.999_999_9, "a second-moment decay", default: 0.95)
        let eps = r.double("eps", in: 1e-30...1, "an epsilon", default: 1e-8)
        let wd = r.double("weight_decay", in: 0...10, "a weight decay", default: 0.1)
        let clip = r.double("grad_clip", in: 0...1e6, "a gradient-norm limit (0 disables clipping)", default: 1.0)
        r.rejectUnknownKeys()
        if let lr, minLR > lr { r.report("min_lr", "expected at most lr (\(lr)), found \(minLR)") }
        guard let lr else { return nil }
        return OptimizerConfig(learningRate: lr, minLearningRate: minLR, warmupSteps: warmup, beta1: b1, beta2: b2,
                               epsilon: eps, weightDecay: wd, gradientClip: clip)
    }

    static func readLoop(_ r: MappingReader) -> LoopConfig? {
        let steps = r.int("steps", in: HyperRanges.steps, "a number of optimizer steps")
        let batch = r.int("batch_sequences", in: HyperRanges.batch, "a batch in sequences")
        let micro = r.optionalInt("micro_batch", in: HyperRanges.batch, "a micro-batch in sequences")
        let evalEvery = r.optionalInt("eval_every", in: HyperRanges.steps, "a step interval")
        let ckptEvery = r.int("checkpoint_every", in: 0...HyperRanges.steps.upperBound, "a step interval (0: only at the end)", default: 0)
        let logEvery = r.int("log_every", in: HyperRanges.steps, "a step interval", default: 10)
        r.rejectUnknownKeys()
        if let batch, let micro, batch % micro != 0 {
            r.report("micro_batch", "expected a divisor of batch_sequences (\(batch)), found \(micro)")
        }
        guard let steps, let batch else { return nil }
        let m = micro ?? batch
        guard batch % m == 0 else { return nil }
        return LoopConfig(steps: steps, batchSequences: batch, microBatch: m, evalEvery: evalEvery ?? steps,
                          checkpointEvery: ckptEvery, logEvery: max(1, logEvery))
    }
}

/// Ranges of the trainer's hyper-parameters (a CPU mini run: 10 million steps would take weeks here).
public enum HyperRanges {
    /// Up to 10^6: far past where every run diverges (kept reachable, so divergence handling can be tested).
    public static let learningRate = 1e-12...1e6
    public static let initStd = 1e-12...10.0
    public static let multiplier = 1e-6...1e6
    public static let steps = 1...10_000_000
    public static let batch = 1...1_000_000
}

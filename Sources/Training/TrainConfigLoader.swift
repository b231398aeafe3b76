import Foundation
import ConfigFile
import ModelConfig
import ModelKit
import MiniGPT

/// Reads a training config; every problem is reported as `file:line: field: expected …` (`ConfigErrors`).
public enum TrainConfigLoader {
    public static func load(path: String) throws -> (config: TrainConfig, source: String) {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigErrors([ConfigError(file: path, line: nil, field: "",
                                            message: "cannot read the training config (\(error.localizedDescription))")])
        }
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
        let name = root.string("name")
        let description = root.string("description", default: "")
        let seed = root.int("seed", default: 1)
        if seed < 0 { root.report("seed", "expected a non-negative integer, found \(seed)") }
        let threads = root.int("threads", default: 2)
        if threads < 1 || threads > 256 { root.report("threads", "expected an integer from 1 to 256, found \(threads)") }
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
        let base = r.int("base_hidden")
        if let base, base <= 0 { r.report("base_hidden", "expected a positive width, found \(base)") }
        func positive(_ key: String, _ d: Double? = nil) -> Double? {
            let v = d.map { r.double(key, default: $0) } ?? r.double(key)
            if let v, !(v > 0) { r.report(key, "expected a positive number, found \(v)"); return nil }
            return v
        }
        let lr = positive("learning_rate")
        let matrixLR = positive("matrix_learning_rate", lr ?? 1)
        let minLR = r.double("min_learning_rate", default: 0)
        if minLR < 0 { r.report("min_learning_rate", "expected a non-negative learning rate, found \(minLR)") }
        if let lr, minLR > lr { r.report("min_learning_rate", "expected at most learning_rate (\(lr)), found \(minLR)") }
        let std = positive("init_std", 0.02)
        let matrixStd = positive("matrix_init_std", std ?? 0.02)
        let inMult = positive("input_mult", 1)
        let outMult = positive("output_mult", 1)
        let zeroQuery = r.bool("zero_query", default: false)
        let zeroReadout = r.bool("zero_readout", default: false)
        let headWidth = r.choice("head_width", default: HeadWidthRule.fixed)
        r.rejectUnknownKeys()
        guard let kind, let base, base > 0, let lr, let matrixLR, let std, let matrixStd, let inMult, let outMult else { return nil }
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
                let v = s.double(role.rawValue, default: p.settings(role).initStd)
                if v < 0 { s.report(role.rawValue, "expected a non-negative standard deviation, found \(v)") }
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
        let v = r.double(key, default: d)
        if !(v > 0) { r.report(key, "expected a positive number, found \(v)"); return d }
        return v
    }

    static func readWeights(_ r: MappingReader?, field: String, parent: MappingReader) -> [DomainWeight] {
        guard let r else { return [] }
        var out: [DomainWeight] = []
        for (key, _) in r.node.mapping ?? [:] {
            guard let name = key.string else { continue }
            if let w = r.double(name) {
                if !(w > 0) { r.report(name, "expected a positive weight, found \(w)") } else { out.append(DomainWeight(domain: name, weight: w)) }
            }
        }
        if out.isEmpty { parent.report(field, "expected at least one domain: weight entry") }
        return out
    }

    static func readData(_ r: MappingReader) -> DataConfig? {
        let dir = r.string("dir", default: "corpora")
        let fraction = r.double("validation_fraction", default: 0.05)
        if !(fraction > 0 && fraction < 0.5) { r.report("validation_fraction", "expected a fraction in (0, 0.5), found \(fraction)") }
        let mixture = readWeights(r.mapping("mixture"), field: "mixture", parent: r)
        let evalBytes = Int(r.optionalQuantity("eval_bytes") ?? 65_536)
        if evalBytes < 2 { r.report("eval_bytes", "expected at least 2 bytes, found \(evalBytes)") }
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
        let lr = source == .optimizer ? r.double("lr") : 1
        let minLR = source == .optimizer ? r.double("min_lr", default: 0) : 0
        let warmup = source == .stages ? 0 : r.int("warmup_steps", default: 0)
        let b1 = r.double("beta1", default: 0.9), b2 = r.double("beta2", default: 0.95)
        let eps = r.double("eps", default: 1e-8)
        let wd = r.double("weight_decay", default: 0.1)
        let clip = r.double("grad_clip", default: 1.0)
        r.rejectUnknownKeys()
        if let lr, !(lr > 0) { r.report("lr", "expected a positive learning rate, found \(lr)") }
        if minLR < 0 { r.report("min_lr", "expected a non-negative learning rate, found \(minLR)") }
        if let lr, minLR > lr { r.report("min_lr", "expected at most lr (\(lr)), found \(minLR)") }
        if warmup < 0 { r.report("warmup_steps", "expected a non-negative integer, found \(warmup)") }
        if !(b1 >= 0 && b1 < 1) { r.report("beta1", "expected a number in [0, 1), found \(b1)") }
        if !(b2 >= 0 && b2 < 1) { r.report("beta2", "expected a number in [0, 1), found \(b2)") }
        if !(eps > 0) { r.report("eps", "expected a positive number, found \(eps)") }
        if wd < 0 { r.report("weight_decay", "expected a non-negative number, found \(wd)") }
        if clip < 0 { r.report("grad_clip", "expected a non-negative norm (0 disables clipping), found \(clip)") }
        guard let lr, lr > 0 else { return nil }
        return OptimizerConfig(learningRate: lr, minLearningRate: minLR, warmupSteps: warmup, beta1: b1, beta2: b2,
                               epsilon: eps, weightDecay: wd, gradientClip: clip)
    }

    static func readLoop(_ r: MappingReader) -> LoopConfig? {
        let steps = r.int("steps")
        let batch = r.int("batch_sequences")
        let micro = r.optionalInt("micro_batch")
        let evalEvery = r.optionalInt("eval_every")
        let ckptEvery = r.int("checkpoint_every", default: 0)
        let logEvery = r.int("log_every", default: 10)
        r.rejectUnknownKeys()
        if let steps, steps <= 0 { r.report("steps", "expected a positive integer, found \(steps)") }
        if let batch, batch <= 0 { r.report("batch_sequences", "expected a positive integer, found \(batch)") }
        if let micro, micro <= 0 { r.report("micro_batch", "expected a positive integer, found \(micro)") }
        if let batch, let micro, micro > 0, batch % micro != 0 {
            r.report("micro_batch", "expected a divisor of batch_sequences (\(batch)), found \(micro)")
        }
        if ckptEvery < 0 { r.report("checkpoint_every", "expected a non-negative integer (0: only at the end), found \(ckptEvery)") }
        if logEvery <= 0 { r.report("log_every", "expected a positive integer, found \(logEvery)") }
        if let e = evalEvery, e <= 0 { r.report("eval_every", "expected a positive integer, found \(e)") }
        guard let steps, let batch, steps > 0, batch > 0 else { return nil }
        let m = micro ?? batch
        guard m > 0, batch % m == 0 else { return nil }
        return LoopConfig(steps: steps, batchSequences: batch, microBatch: m, evalEvery: evalEvery ?? steps,
                          checkpointEvery: ckptEvery, logEvery: max(1, logEvery))
    }
}

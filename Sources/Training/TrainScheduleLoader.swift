import Foundation
import ConfigFile
import Growth
import MiniGPT
import ModelConfig
import ModelKit
import Scenario

/// Growth schedules: one file for both halves. The simulator reads its `cluster:`, stages' `parallel:` and
/// `run:`; the trainer reads the training sections (`seed`, `threads`, `parametrization`, `data`, `optimizer`,
/// `training`) and each stage's `model`, `tokens`, batch, `lr` and `growth`. Every problem is reported as
/// `file:line: field: expected …` before any training starts.
extension TrainConfigLoader {
    static func parseSchedule(_ root: MappingReader, _ doc: ConfigDocument) throws -> TrainConfig {
        let (name, description, seed, threads) = readRun(root)
        if root.has("model") {
            _ = root.node("model")
            root.report("model", "expected no top-level model in a growth schedule: each stage gives its model (fields left out are inherited)")
        }
        let (parametrization, widthScaling) = readParametrizationSection(root)
        let data = root.mapping("data").flatMap(readData)
        let optimizerReader = root.optionalMapping("optimizer")
        let defaultOptimizer = OptimizerConfig(learningRate: 1, minLearningRate: 0, warmupSteps: 0, beta1: 0.9, beta2: 0.95,
                               epsilon: 1e-8, weightDecay: 0.1, gradientClip: 1)
        let optimizerRead = optimizerReader.map { readOptimizer($0, lrFrom: .stages) } ?? defaultOptimizer
        let loopReader = root.optionalMapping("training")
        for key in ["steps", "batch_sequences"] where loopReader?.has(key) == true {
            _ = loopReader?.node(key)
            loopReader?.report(key, "expected no \(key) here: in a growth schedule each stage's tokens and batch_sequences give it")
        }
        let micro = loopReader?.optionalInt("micro_batch", in: HyperRanges.batch, "a micro-batch in sequences")
        let evalEvery = loopReader?.optionalInt("eval_every", in: HyperRanges.steps, "a step interval")
        let checkpointEvery = loopReader?.int("checkpoint_every", in: 0...HyperRanges.steps.upperBound, "a step interval (0: only at the end)", default: 0) ?? 0
        let logEvery = loopReader?.int("log_every", in: HyperRanges.steps, "a step interval", default: 10) ?? 10
        loopReader?.rejectUnknownKeys()

        var stages: [TrainStage] = []
        var runPeak: Double?, runMinimum: Double?
        if let w = widthScaling { runPeak = w.hyper.learningRate; runMinimum = w.hyper.minLearningRate }
        var earlierStageFailed = false
        for (k, r) in root.mappings("stages").enumerated() {
            // After a stage with errors, later stages inherit from an unknown model: no inheritance errors then.
            guard let stage = readStage(r, index: k, previous: earlierStageFailed ? nil : stages.last, previousUnreadable: earlierStageFailed,
                                        widthScaling: widthScaling, runPeak: &runPeak, runMinimum: &runMinimum) else {
                earlierStageFailed = true
                continue
            }
            if stages.contains(where: { $0.name == stage.name }) {
                r.report("name", "expected a unique stage name, '\(stage.name)' is used twice")
            }
            if let micro, micro > 0, stage.batchSequences % micro != 0 {
                r.report("batch_sequences", "expected a multiple of training.micro_batch (\(micro)), found \(stage.batchSequences)")
            }
            stages.append(stage)
        }
        root.accept(ScenarioLoader.simulatorSections)
        root.rejectUnknownKeys()
        try doc.throwIfErrors()
        guard let name, let data, var optimizer = optimizerRead, let last = stages.last, let peak = runPeak else { throw ConfigErrors(doc.errors) }
        optimizer.learningRate = peak
        optimizer.minLearningRate = runMinimum ?? 0
        optimizer.warmupSteps = stages[0].warmupSteps
        let totalSteps = stages.map(\.steps).reduce(0, +)
        let loop = LoopConfig(steps: totalSteps, batchSequences: last.batchSequences,
                              microBatch: micro ?? stages.map(\.batchSequences).reduce(0, gcd), evalEvery: evalEvery ?? totalSteps,
                              checkpointEvery: checkpointEvery, logEvery: max(1, logEvery))
        var config = TrainConfig(name: name, description: description, seed: UInt64(seed), threads: threads,
                                 model: last.model, parametrization: parametrization, widthScaling: widthScaling,
                                 data: data, optimizer: optimizer, training: loop, schedule: stages)
        config.applyWidthScaling()
        return config
    }

    /// Greatest common divisor: the default micro-batch divides every stage's batch.
    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    private static func readStage(_ r: MappingReader, index k: Int, previous: TrainStage?, previousUnreadable: Bool,
                                  widthScaling: WidthScaling?, runPeak: inout Double?, runMinimum: inout Double?) -> TrainStage? {
        let name = r.fileName("name")
        let model = r.mapping("model").flatMap { ModelSection.read($0, previous: previous?.model, defaultVocab: 256, defaultTied: false,
                                                                   previousUnreadable: previousUnreadable) }
        if let model, model.vocab != 256 || model.paddedVocab < 256 {
            r.mapping("model")?.report("vocab", "expected 256 (byte-level tokens), found \(model.vocab)")
        }
        let tokens = r.quantity("tokens", in: Stage.tokenRange, "a number of tokens")
        var batch = r.optionalInt("batch_sequences", in: HyperRanges.batch, "a batch in sequences")
        if let toks = r.optionalQuantity("batch_tokens", in: 1...Double(HyperRanges.batch.upperBound) * 4096, "a batch in tokens") {
            if batch != nil { r.report("batch_tokens", "expected only one of batch_sequences and batch_tokens, found both") }
            if let model, toks.truncatingRemainder(dividingBy: Double(model.sequenceLength)) == 0 {
                batch = Int(toks) / model.sequenceLength
            } else if let model {
                r.report("batch_tokens", "expected a multiple of seq_length (\(model.sequenceLength)), found \(MappingReader.format(toks))")
            }
        } else if batch == nil, !r.has("batch_tokens") {
            r.report("batch_sequences", "missing: give the batch as batch_sequences or batch_tokens")
        }

        var warmupSamples = 0.0, rewindPeak: Double?
        if let lr = r.optionalMapping("lr") {
            let fields = ScenarioLoader.readLR(lr)
            warmupSamples = fields.warmupSamples
            if fields.decay != .cosine { lr.report("decay", "expected cosine (the mini trainer's schedule), found \(fields.decay.rawValue)") }
            if k == 0, widthScaling == nil {
                if fields.peak == nil { lr.report("peak", "missing: the first stage gives the run's peak LR (or set parametrization.kind)") }
                runPeak = fields.peak
                runMinimum = fields.minimum ?? 0
            } else if k == 0, fields.peak != nil || fields.minimum != nil {
                lr.report(fields.peak != nil ? "peak" : "min", "expected no peak or min: parametrization.kind is set, so parametrization.learning_rate and min_learning_rate give the LR range")
            } else {
                rewindPeak = fields.peak
                if fields.minimum != nil { lr.report("min", "expected no min in a later stage: the run decays to the first stage's minimum") }
            }
        } else if k == 0, widthScaling == nil {
            r.report("lr", "missing: the first stage gives the run's LR (peak, min, warmup_samples), or set parametrization.kind")
        }
        let growth = readGrowth(r, index: k, previous: previous?.model, model: model, widthScaling: widthScaling)
        if growth?.learningRate != .rewind, rewindPeak != nil, k > 0 {
            r.mapping("lr")?.report("peak", "expected no peak unless growth.lr is rewind: a stage that continues the schedule inherits the LR (FLM-101B §2.4)")
        }
        r.accept(ScenarioLoader.simulatorStageSections)
        r.rejectUnknownKeys()
        guard let name, let model, let tokens, let batch, batch > 0 else { return nil }
        let stepCount = (tokens / (Double(batch) * Double(model.sequenceLength))).rounded(.up)
        guard stepCount <= Double(HyperRanges.steps.upperBound) else {
            r.report("tokens", "expected at most \(HyperRanges.steps.upperBound) steps of \(batch) × \(model.sequenceLength) tokens, found \(MappingReader.format(tokens)) tokens (\(MappingReader.format(stepCount)) steps)")
            return nil
        }
        let steps = Int(stepCount)
        let warmup = Int((warmupSamples / Double(batch)).rounded())
        if warmup > steps {
            r.mapping("lr")?.report("warmup_samples", "expected at most the stage's \(steps * batch) samples (\(steps) steps of \(batch)), found \(Int(warmupSamples))")
        }
        if let g = growth, g.order.count * g.rampSteps > steps {
            r.mapping("growth")?.report("ramp_steps", "expected at most \(steps / g.order.count) steps: the stage's \(steps) steps must hold \(g.order.count) ramp\(g.order.count == 1 ? "" : "s") one after another, found \(g.rampSteps)")
        }
        if k > 0, growth == nil, let p = previous?.model, p != model {
            r.report("growth", "missing: the model changes from stage '\(previous!.name)', so give growth: {order: [...], ramp_steps: N}")
        }
        return TrainStage(name: name, model: model, steps: steps, batchSequences: batch, warmupSteps: warmup,
                          rewindPeak: rewindPeak, growth: growth)
    }

    /// The `growth:` section of stage `k`, checked against the shapes it grows between.
    private static func readGrowth(_ stage: MappingReader, index k: Int, previous: ModelArchitecture?,
                                   model: ModelArchitecture?, widthScaling: WidthScaling?) -> StageGrowth? {
        guard let r = stage.optionalMapping("growth") else { return nil }
        if k == 0 { stage.report("growth", "expected no growth in the first stage (there is nothing to grow from)") }
        var order: [GrowthOperator] = []
        if let names = r.strings("order") {
            for n in names {
                if let op = GrowthOperator(rawValue: n) {
                    if order.contains(op) { r.report("order", "expected each operator once, found '\(n)' twice") }
                    order.append(op)
                } else {
                    r.report("order", "expected operators from \(GrowthOperator.allCases.map(\.rawValue).joined(separator: ", ")), found '\(n)'")
                }
            }
            if names.isEmpty { r.report("order", "expected at least one operator") }
        } else if !r.has("order") {
            r.report("order", "missing required field (expected a list of operators: \(GrowthOperator.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let ramp = r.int("ramp_steps")
        if let ramp, ramp <= 0 { r.report("ramp_steps", "expected a positive number of optimizer steps, found \(ramp)") }
        var placement = LayerPlacement.top
        if let node = r.node("layers") {
            if let s = node.scalar?.string, s == "top" || s == "interleave" {
                placement = s == "top" ? .top : .interleave
            } else if let seq = node.sequence, let list = Optional(seq.compactMap { $0.int }), list.count == seq.count {
                placement = .indices(list)
            } else {
                r.report("layers", "expected top, interleave or a list of the new layers' indices in the grown model")
            }
        }
        let newLayers = r.choice("new_layers", default: NewLayerInit.copy)
        let lr = r.choice("lr", default: LearningRateAtGrowth.continue)
        r.rejectUnknownKeys()
        guard let ramp, ramp > 0, !order.isEmpty else { return nil }
        if let previous, let model { checkShapes(stage, r, from: previous, to: model, order: order, placement: placement, widthScaling: widthScaling) }
        return StageGrowth(order: order, rampSteps: ramp, placement: placement, newLayers: newLayers, learningRate: lr)
    }

    /// Growth only adds: every dimension is at least the previous stage's, the rest is unchanged, and each
    /// changed dimension has its operator (and each operator a dimension to change).
    private static func checkShapes(_ stage: MappingReader, _ g: MappingReader, from p: ModelArchitecture,
                                    to m: ModelArchitecture, order: [GrowthOperator], placement: LayerPlacement,
                                    widthScaling: WidthScaling?) {
        let modelReader = { (field: String, message: String) in
            stage.document.report(stage.node("model")?.mapping?[field] ?? stage.node("model") ?? stage.node,
                                  stage.field("model.\(field)"), message)
        }
        for (field, old, new) in [("layers", p.layers, m.layers), ("hidden", p.hidden, m.hidden), ("heads", p.heads, m.heads),
                                  ("ffn_hidden", p.ffnHidden, m.ffnHidden)] where new < old {
            modelReader(field, "expected at least the previous stage's \(old) (growth never shrinks a model), found \(new)")
        }
        let fixed: [(String, String, String)] = [
            ("vocab", "\(p.vocab)", "\(m.vocab)"), ("seq_length", "\(p.sequenceLength)", "\(m.sequenceLength)"),
            ("activation", p.activation.rawValue, m.activation.rawValue), ("norm", p.norm.rawValue, m.norm.rawValue),
            ("position", p.position.rawValue, m.position.rawValue),
            ("tied_embeddings", "\(p.tiedEmbeddings)", "\(m.tiedEmbeddings)"),
            ("linear_biases", "\(p.linearBiases)", "\(m.linearBiases)")]
        for (field, old, new) in fixed where old != new {
            modelReader(field, "expected the previous stage's \(old) (growth changes only layers, hidden, heads and ffn_hidden), found \(new)")
        }
        if m.headDim != p.headDim {
            if m.heads != p.heads {
                modelReader("heads", "expected heads that keep the head width d_head = \(p.headDim) (hidden \(m.hidden) / \(p.headDim) = \(Double(m.hidden) / Double(p.headDim)) heads), found \(m.heads)")
            } else {
                modelReader("head_dim", "expected head_dim: \(p.headDim) to grow the hidden width alone (heads keep their width), found \(m.headDim)")
            }
        }
        func needs(_ op: GrowthOperator, _ changed: Bool, _ what: String) {
            if changed && !order.contains(op) { g.report("order", "expected '\(op.rawValue)' in the order: \(what) grows") }
            if !changed && order.contains(op) { g.report("order", "expected no '\(op.rawValue)': \(what) does not grow") }
        }
        needs(.depth, m.layers > p.layers, "the layer count (\(p.layers) → \(m.layers))")
        needs(.ffn, m.ffnHidden > p.ffnHidden, "ffn_hidden (\(p.ffnHidden) → \(m.ffnHidden))")
        needs(.heads, m.heads > p.heads, "the head count (\(p.heads) → \(m.heads))")
        needs(.hidden, m.hidden > p.hidden && m.heads == p.heads, "the hidden width alone (\(p.hidden) → \(m.hidden))")
        if let w = widthScaling, w.headWidth == .grows, m.heads > p.heads {
            g.report("order", "expected parametrization.head_width: fixed for heads growth (head_width: grows changes µP's attention scale with the head count)")
        }
        if m.hidden > p.hidden, m.tiedEmbeddings, widthScaling?.kind == .mup {
            modelReader("tied_embeddings", "expected false: µP's readout multiplier changes with the width, which a readout tied to the embedding cannot absorb")
        }
        if case .indices(let list) = placement {
            let added = m.layers - p.layers
            if list.count != added || Set(list).count != list.count || list.contains(where: { $0 < 0 || $0 >= m.layers }) {
                g.report("layers", "expected \(added) distinct indices in 0..<\(m.layers) (the new layers' places in the grown model), found \(list)")
            }
        }
    }
}

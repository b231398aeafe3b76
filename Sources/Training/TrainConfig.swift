import Foundation
import ModelKit
import MiniGPT

/// A mini training run, as read from `Scenarios/mini/*.yaml`.
public struct TrainConfig: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    public var seed: UInt64
    /// Threads for OpenBLAS and for the trainer's own parallel loops. Results are bit-identical for a given
    /// thread count (not across thread counts: summation order changes).
    public var threads: Int
    public var model: ModelArchitecture
    public var parametrization: Parametrization
    /// When set (`parametrization.kind` in the file), `parametrization` and the optimizer's LR range are
    /// derived from these base-width hyper-parameters for the model's width (SP or µP).
    public var widthScaling: WidthScaling?
    public var data: DataConfig
    public var optimizer: OptimizerConfig
    public var training: LoopConfig
    /// The stages of a growth schedule (a file with `stages:`); nil for a plain run of one shape. With stages,
    /// `model` is the final shape, `training.steps` the total and `training.batchSequences` the last stage's.
    public var schedule: [TrainStage]? = nil
}

public struct DataConfig: Codable, Sendable, Equatable {
    /// Folder holding `<domain>.txt` files (default `corpora`, relative to the working directory).
    public var directory: String
    public var validationFraction: Double
    /// Training mixture: domain name → proportion (normalised), in file order.
    public var mixture: [DomainWeight]
    /// Validation bytes evaluated per domain (a fixed prefix of its validation stream).
    public var evalBytes: Int
    /// Named weightings for the weighted-sum BPB (Tele-FLM Tables 5-6); each maps domains to weights.
    public var weightings: [Weighting]
}

public struct DomainWeight: Codable, Sendable, Equatable {
    public var domain: String
    public var weight: Double
}

public struct Weighting: Codable, Sendable, Equatable {
    public var name: String
    public var weights: [DomainWeight]
}

public struct OptimizerConfig: Codable, Sendable, Equatable {
    public var learningRate: Double
    public var minLearningRate: Double
    public var warmupSteps: Int
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var weightDecay: Double
    /// Global gradient-norm clip; 0 disables clipping.
    public var gradientClip: Double

    public init(learningRate: Double, minLearningRate: Double, warmupSteps: Int, beta1: Double, beta2: Double,
                epsilon: Double, weightDecay: Double, gradientClip: Double) {
        self.learningRate = learningRate; self.minLearningRate = minLearningRate; self.warmupSteps = warmupSteps
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.weightDecay = weightDecay
        self.gradientClip = gradientClip
    }
}

public struct LoopConfig: Codable, Sendable, Equatable {
    public var steps: Int
    /// Sequences per optimizer step.
    public var batchSequences: Int
    /// Sequences per forward/backward; batch_sequences / micro_batch micro-batches are accumulated.
    public var microBatch: Int
    public var evalEvery: Int
    public var checkpointEvery: Int
    public var logEvery: Int

    public var accumulation: Int { batchSequences / microBatch }
}

extension TrainConfig {
    /// Identifies the experiment: everything that changes the numbers except the thread count.
    public var fingerprint: String {
        struct Key: Encodable {
            var seed: UInt64, model: ModelArchitecture, parametrization: Parametrization, data: DataConfig
            var optimizer: OptimizerConfig, steps: Int, batch: Int, micro: Int
            /// Only growth schedules carry stages, so plain runs keep their fingerprints.
            var schedule: [TrainStage]?
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        let key = Key(seed: seed, model: model, parametrization: parametrization, data: data, optimizer: optimizer,
                      steps: training.steps, batch: training.batchSequences, micro: training.microBatch, schedule: schedule)
        let data = (try? e.encode(key)) ?? Data()
        return String(data.withUnsafeBytes { CRC32.checksum($0) }, radix: 16)
    }

    /// The results-database label of this experiment's training runs at this thread count (curves and times are
    /// reproducible only for the same count), by which finished runs are found and reused.
    public var runLabel: String { "train/\(fingerprint)/threads\(threads)" }

    /// The run laid out on the step axis: the schedule's stages, or one stage for a plain run.
    public var plan: TrainingPlan {
        let stages = schedule ?? [TrainStage(name: name, model: model, steps: training.steps,
                                             batchSequences: training.batchSequences, warmupSteps: optimizer.warmupSteps)]
        return TrainingPlan(stages: stages, peak: optimizer.learningRate, minimum: optimizer.minLearningRate)
    }

    /// The parametrisation of a model of this shape: derived from the width scaling (SP or µP) when the config
    /// names one, else the config's own (the same at every shape).
    public func parametrization(for shape: ModelArchitecture) -> Parametrization {
        widthScaling?.parametrization(for: shape) ?? parametrization
    }

    /// Derives the parametrisation and the LR range from `widthScaling` for the current model.
    public mutating func applyWidthScaling() {
        guard let w = widthScaling else { return }
        parametrization = w.parametrization(for: model)
        optimizer.learningRate = w.hyper.learningRate
        optimizer.minLearningRate = w.hyper.minLearningRate
    }

    /// The same run at another width: hidden → `hidden`, FFN in proportion; heads follow the width scaling's
    /// head-width rule (default: head width fixed, head count grows, as in FLM-101B and Tele-FLM); the
    /// parametrisation is re-derived (µP transfers the base-width hyper-parameters; SP keeps them as they are).
    public func atWidth(_ hidden: Int) throws -> TrainConfig {
        var c = self
        let m = model
        let rule = widthScaling?.headWidth ?? .fixed
        guard hidden > 0, (m.ffnHidden * hidden) % m.hidden == 0 else {
            throw ModelError("width \(hidden) must be positive and keep ffn_hidden/hidden = \(m.ffnHidden)/\(m.hidden) whole")
        }
        c.model.hidden = hidden
        c.model.ffnHidden = m.ffnHidden * hidden / m.hidden
        switch rule {
        case .fixed:
            guard hidden % m.headDim == 0 else {
                throw ModelError("width \(hidden) must be a multiple of the head width \(m.headDim) (head_width: fixed)")
            }
            c.model.heads = hidden / m.headDim
        case .grows:
            guard hidden % m.heads == 0 else {
                throw ModelError("width \(hidden) must be a multiple of the \(m.heads) heads (head_width: grows)")
            }
            c.model.headDim = hidden / m.heads
        }
        if c.model.headDim % 2 != 0 && (m.position == .rope || m.position == .xpos) {
            throw ModelError("width \(hidden) gives an odd head width \(c.model.headDim); rotary positions need an even one")
        }
        c.name = "\(name)-w\(hidden)"
        c.applyWidthScaling()
        return c
    }
}

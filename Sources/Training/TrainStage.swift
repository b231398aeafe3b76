import Growth
import ModelKit

/// One stage of a training run: a model shape trained for some steps at a batch. A plain config is one stage;
/// a growth schedule (`Scenarios/mini/growth.yaml`) has several, each after the first entered by growth.
public struct TrainStage: Codable, Sendable, Equatable {
    public var name: String
    public var model: ModelArchitecture
    public var steps: Int
    public var batchSequences: Int
    /// Warmup steps: the run's warmup in the first stage; in a growth stage the re-warmup after growth
    /// (FLM-101B: 230.4k samples, 100 steps, in each later stage) or the warmup to a rewound peak.
    public var warmupSteps: Int
    /// The LR a `rewind` goes back to (before role multipliers); nil = the run's peak.
    public var rewindPeak: Double?
    /// How the stage is entered from the previous one; nil for the first stage.
    public var growth: StageGrowth?

    public init(name: String, model: ModelArchitecture, steps: Int, batchSequences: Int, warmupSteps: Int,
                rewindPeak: Double? = nil, growth: StageGrowth? = nil) {
        self.name = name; self.model = model; self.steps = steps; self.batchSequences = batchSequences
        self.warmupSteps = warmupSteps; self.rewindPeak = rewindPeak; self.growth = growth
    }
}

/// The `growth:` settings of a stage.
public struct StageGrowth: Codable, Sendable, Equatable {
    /// Operators applied one at a time (MSG grows one dimension at a time); each waits for the previous ramp.
    public var order: [GrowthOperator]
    /// Optimizer steps over which each operator's mask ramps 0 → 1.
    public var rampSteps: Int
    public var placement: LayerPlacement
    public var newLayers: NewLayerInit
    public var learningRate: LearningRateAtGrowth

    public init(order: [GrowthOperator], rampSteps: Int, placement: LayerPlacement = .top,
                newLayers: NewLayerInit = .copy, learningRate: LearningRateAtGrowth = .continue) {
        self.order = order; self.rampSteps = rampSteps; self.placement = placement; self.newLayers = newLayers
        self.learningRate = learningRate
    }
}

/// The learning rate when a stage starts with growth.
public enum LearningRateAtGrowth: String, Codable, Sendable, CaseIterable {
    /// FLM-101B §2.4: "approximately inherit the previous learning rate and adhere to the same schedule", with a
    /// short re-warmup (the stage's warmup) up to the continued value. The default.
    case `continue`
    /// MSG (cofe-ai/MSG `get_scheduler_ex`): back to a stated peak, warm up over the stage's warmup, then decay
    /// to the minimum at the end of the run.
    case rewind
}

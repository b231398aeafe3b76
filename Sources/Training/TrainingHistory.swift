/// Everything a run has measured so far; saved in checkpoints so a resumed run reports the full curve.
public struct TrainingHistory: Codable, Sendable, Equatable {
    public struct StepPoint: Codable, Sendable, Equatable {
        public var step: Int
        public var tokens: Double
        public var loss: Double
        public var learningRate: Double
        public var gradientNorm: Double
        /// Wall seconds of this optimizer step (forward, backward, clipping, update).
        public var seconds: Double
        /// Growth schedules: the stage of this step and the growth mask in force (nil outside ramps and in
        /// plain runs).
        public var stage: Int? = nil
        public var mask: Double? = nil
    }
    public struct EvalPoint: Codable, Sendable, Equatable {
        public var step: Int
        public var tokens: Double
        public var result: EvaluationResult
    }
    public var steps: [StepPoint] = []
    public var evaluations: [EvalPoint] = []
    /// Training seconds spent before this process (resumed runs), for the summary's throughput.
    public var elapsedSeconds: Double = 0
    public init() {}
}

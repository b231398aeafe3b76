import Foundation
import Growth
import MiniGPT
import ModelKit

/// One growth at a known optimizer step: the operator is applied right before `step` runs, and its mask is
/// c = (s − step)/rampSteps for steps s in step..<step + rampSteps, then removed.
public struct GrowthEvent: Codable, Sendable, Equatable {
    public var step: Int
    public var stage: Int
    public var growth: GrowthStep
    public var rampEnd: Int { step + growth.rampSteps }
}

/// A run's stages laid out on the global step axis (steps count from 1): where each stage starts, when each
/// growth happens, the shape and mask at any step, the learning rate and the tokens. Everything is a pure
/// function of the step, so a resumed run rebuilds the same state from the step in its checkpoint.
public struct TrainingPlan: Sendable {
    public let stages: [TrainStage]
    /// First global step of each stage.
    public let stageStarts: [Int]
    public let events: [GrowthEvent]
    public let totalSteps: Int
    /// Counted training FLOPs of each step (index s − 1): batch tokens × ModelKit's per-op FLOPs per token of
    /// the shape in force at that step (the simulator's cost model).
    public private(set) var stepFlops: [Double] = []
    /// The same, as executed: block-causal attention skips part of the counted s×s square
    /// (`GPT.executedFlopFraction`).
    public private(set) var stepExecutedFlops: [Double] = []
    /// The LR schedule in force from each stage on: (first step it counts from, schedule).
    private let segments: [(start: Int, schedule: LearningRateSchedule, rewarmup: Int)]

    /// - Parameters: peak and minimum of the run's schedule (before role multipliers).
    public init(stages: [TrainStage], peak: Double, minimum: Double) {
        self.stages = stages
        var starts: [Int] = [], events: [GrowthEvent] = [], step = 1
        var shape = stages[0].model
        var segments: [(Int, LearningRateSchedule, Int)] = []
        let total = stages.map(\.steps).reduce(0, +)
        for (k, stage) in stages.enumerated() {
            starts.append(step)
            if let g = stage.growth {
                for (i, op) in g.order.enumerated() {
                    let next = op.apply(shape, towards: stage.model)
                    events.append(GrowthEvent(step: step + i * g.rampSteps, stage: k,
                                              growth: GrowthStep(op: op, from: shape, to: next, rampSteps: g.rampSteps,
                                                                 placement: g.placement, newLayerInit: g.newLayers)))
                    shape = next
                }
            }
            if k == 0 {
                segments.append((1, LearningRateSchedule(peak: peak, minimum: minimum, warmup: stage.warmupSteps, total: total), 0))
            } else if stage.growth?.learningRate == .rewind {
                segments.append((step, LearningRateSchedule(peak: stage.rewindPeak ?? peak, minimum: minimum,
                                                            warmup: stage.warmupSteps, total: total - step + 1), 0))
            } else {
                let last = segments.last!
                segments.append((last.0, last.1, stage.warmupSteps))
            }
            step += stage.steps
        }
        stageStarts = starts
        self.events = events
        totalSteps = total
        self.segments = segments
        var perToken: [ModelArchitecture: (counted: Double, executed: Double)] = [:]
        for s in 1...max(1, total) where total > 0 {
            let shape = self.shape(afterStep: s)
            let f = perToken[shape] ?? {
                let counted = TrainingFlopsPerToken(shape, recompute: .none).model
                return (counted, counted * GPT<Float>.executedFlopFraction(shape))
            }()
            perToken[shape] = f
            let stage = stages[self.stage(at: s)]
            let tokens = Double(stage.batchSequences * stage.model.sequenceLength)
            stepFlops.append(f.counted * tokens)
            stepExecutedFlops.append(f.executed * tokens)
        }
    }

    /// Counted (or executed) training FLOPs of steps (from, through] (1-based steps).
    public func flops(after from: Int, through s: Int, executed: Bool = false) -> Double {
        guard s > from else { return 0 }
        return (executed ? stepExecutedFlops : stepFlops)[max(0, from)..<min(s, stepFlops.count)].reduce(0, +)
    }

    /// One shape in force over consecutive steps of a stage.
    public struct ShapeSegment: Sendable, Equatable {
        public var stage: Int
        /// First step (1-based) and number of steps.
        public var first: Int
        public var steps: Int
        public var shape: ModelArchitecture
        /// The growth operator that produced this shape (nil: the run's first shape).
        public var grownBy: GrowthOperator?
    }

    /// The run cut where the shape changes: one segment per plain stage, one per operator in a growth stage
    /// (MSG grows one dimension at a time, so a stage's final shape runs only after its last growth).
    public var shapeSegments: [ShapeSegment] {
        var out: [ShapeSegment] = []
        for s in 1...max(1, totalSteps) where totalSteps > 0 {
            let stage = self.stage(at: s), shape = self.shape(afterStep: s)
            if let last = out.last, last.stage == stage, last.shape == shape {
                out[out.count - 1].steps += 1
            } else {
                out.append(ShapeSegment(stage: stage, first: s, steps: 1, shape: shape,
                                        grownBy: events.last { $0.step <= s && $0.stage == stage }?.growth.op))
            }
        }
        return out
    }

    /// The stage that step `s` belongs to.
    public func stage(at s: Int) -> Int { (stageStarts.lastIndex { $0 <= s }) ?? 0 }

    /// The growth applied right before step `s`, if any.
    public func event(at s: Int) -> GrowthEvent? { events.first { $0.step == s } }

    /// The growth whose mask is ramping at step `s`, and the mask value there.
    public func ramp(at s: Int) -> (event: GrowthEvent, value: Double)? {
        guard let e = events.last(where: { $0.step <= s }), s < e.rampEnd else { return nil }
        return (e, Double(s - e.step) / Double(e.growth.rampSteps))
    }

    /// The model's shape once `s` steps are done (0: the first stage's).
    public func shape(afterStep s: Int) -> ModelArchitecture {
        events.last { $0.step <= s }?.growth.to ?? stages[0].model
    }

    /// The learning rate of step `s` (before role multipliers). In a stage that continues the schedule, the
    /// continued value is approached linearly over the stage's re-warmup.
    public func learningRate(at s: Int) -> Double {
        let k = stage(at: s), segment = segments[k]
        let rate = segment.schedule.rate(at: s - segment.start + 1)
        guard segment.rewarmup > 0 else { return rate }
        return rate * min(1, Double(s - stageStarts[k] + 1) / Double(segment.rewarmup))
    }

    /// Sequences per optimizer step at step `s`.
    public func batchSequences(at s: Int) -> Int { stages[stage(at: s)].batchSequences }

    /// Tokens consumed by steps 1...s.
    public func tokens(throughStep s: Int) -> Double {
        var total = 0.0
        for (k, stage) in stages.enumerated() {
            let done = min(max(0, s - stageStarts[k] + 1), stage.steps)
            total += Double(done * stage.batchSequences * stage.model.sequenceLength)
        }
        return total
    }
}

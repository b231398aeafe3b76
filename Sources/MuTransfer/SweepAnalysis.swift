import Foundation
import MiniGPT

/// What a sweep shows: for each parametrisation and width, the loss at every LR and the best LR; and the two
/// µP claims of Tensor Programs V (Figure 1): the optimum LR stays put across widths, and at that LR wider is
/// better.
public struct SweepAnalysis: Sendable, Equatable, Codable {
    public struct Curve: Sendable, Equatable, Codable {
        public var kind: ParametrizationKind
        public var width: Int
        /// (log2 LR, validation BPB or nil when diverged or missing).
        public var points: [Point]
        public var bestLearningRate: Double?
        public var bestBPB: Double?
        public var diverged: Int
    }
    public struct Point: Sendable, Equatable, Codable {
        public var log2LearningRate: Double
        public var bpb: Double?
        public var diverged: Bool
    }
    public struct Verdict: Sendable, Equatable, Codable {
        public var kind: ParametrizationKind
        /// Grid steps (factors of 2) between the smallest and largest best log2 LR across widths.
        public var bestLRShiftSteps: Int?
        /// Whether the loss at the narrowest width's best LR falls with every width step.
        public var monotoneInWidthAtBestLR: Bool?
        /// Widths whose runs diverged at an LR where the narrowest width trained.
        public var widthsDivergingWhereNarrowTrains: [Int]
    }

    public var sweep: String
    public var curves: [Curve]
    public var verdicts: [Verdict]
    public var complete: Bool

    public init(spec: SweepSpec, results: [PointResult]) {
        sweep = spec.name
        let byKey = Dictionary(uniqueKeysWithValues: results.map { ($0.point.key, $0) })
        complete = spec.points.allSatisfy { byKey[$0.key] != nil }
        var curves: [Curve] = []
        var verdicts: [Verdict] = []
        for kind in spec.parametrizations {
            var kindCurves: [Curve] = []
            for w in spec.widths {
                let pts = spec.learningRates.map { lr -> Point in
                    let r = spec.points.first { $0.kind == kind && $0.width == w && $0.learningRate == lr }.flatMap { byKey[$0.key] }
                    return Point(log2LearningRate: log2(lr), bpb: r?.validationBPB, diverged: r?.diverged ?? false)
                }
                let best = zip(spec.learningRates, pts).compactMap { lr, p in p.bpb.map { (lr, $0) } }.min { $0.1 < $1.1 }
                kindCurves.append(Curve(kind: kind, width: w, points: pts, bestLearningRate: best?.0, bestBPB: best?.1,
                                        diverged: pts.filter(\.diverged).count))
            }
            curves += kindCurves
            let bests = kindCurves.compactMap { $0.bestLearningRate.map { log2($0) } }
            let shift = bests.count == kindCurves.count && !bests.isEmpty ? Int((bests.max()! - bests.min()!).rounded()) : nil
            var monotone: Bool?
            if let narrowBest = kindCurves.first?.bestLearningRate, let index = spec.learningRates.firstIndex(of: narrowBest) {
                let losses = kindCurves.map { $0.points[index].bpb }
                if losses.allSatisfy({ $0 != nil }) {
                    let l = losses.map { $0! }
                    monotone = zip(l, l.dropFirst()).allSatisfy { $0.1 < $0.0 }
                } else {
                    monotone = false
                }
            }
            var diverging: [Int] = []
            if let narrow = kindCurves.first {
                for c in kindCurves.dropFirst() {
                    if zip(narrow.points, c.points).contains(where: { $0.0.bpb != nil && $0.1.diverged }) { diverging.append(c.width) }
                }
            }
            verdicts.append(Verdict(kind: kind, bestLRShiftSteps: shift, monotoneInWidthAtBestLR: monotone,
                                    widthsDivergingWhereNarrowTrains: diverging))
        }
        self.curves = curves
        self.verdicts = verdicts
    }
}

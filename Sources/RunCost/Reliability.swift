import Foundation

/// Checkpointing and failures of a long run (Young 1974; Daly 2006, FGCS 22(3)).
public enum Reliability {
    /// Daly's higher-order optimum checkpoint interval (compute time between checkpoints) for a checkpoint that
    /// takes δ seconds and a job MTBF of M seconds: τ = √(2δM)·[1 + ⅓√(δ/2M) + ⅑(δ/2M)] − δ for δ < 2M, else M.
    /// The first term alone is Young's √(2δM).
    public static func optimalInterval(checkpointSeconds δ: Double, mtbfSeconds M: Double) -> Double {
        guard δ > 0 else { return M }
        guard δ < 2 * M else { return M }
        let x = δ / (2 * M)
        return (2 * δ * M).squareRoot() * (1 + x.squareRoot() / 3 + x / 9) - δ
    }

    /// Expected wall time of `work` seconds of training with a checkpoint of δ seconds every τ seconds of work,
    /// failures at rate 1/M of wall time, each costing the restart R plus on average half an interval of lost
    /// work (τ + δ)/2:  T = work·(1 + δ/τ) / (1 − (R + (τ + δ)/2)/M).
    public struct Outcome: Sendable, Equatable, Codable {
        public var wallSeconds: Double
        public var checkpointSeconds: Double
        public var checkpoints: Double
        public var expectedFailures: Double
        public var lostWorkSeconds: Double
        public var restartSeconds: Double
    }

    public static func run(work: Double, checkpointSeconds δ: Double, interval τ: Double, mtbfSeconds M: Double,
                           restartSeconds R: Double, failures: Bool) -> Outcome {
        let checkpoints = τ > 0 ? (work / τ).rounded(.down) : 0
        let withCheckpoints = work + checkpoints * δ
        guard failures else {
            return Outcome(wallSeconds: withCheckpoints, checkpointSeconds: checkpoints * δ, checkpoints: checkpoints,
                           expectedFailures: 0, lostWorkSeconds: 0, restartSeconds: 0)
        }
        let lossPerFailure = R + (τ + δ) / 2
        let fraction = lossPerFailure / M
        // A run whose failures cost more than the time between them never finishes.
        let wall = fraction < 1 ? withCheckpoints / (1 - fraction) : .infinity
        let n = wall / M
        return Outcome(wallSeconds: wall, checkpointSeconds: checkpoints * δ, checkpoints: checkpoints,
                       expectedFailures: n, lostWorkSeconds: n * (τ + δ) / 2, restartSeconds: n * R)
    }
}

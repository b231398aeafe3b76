import Foundation

/// Linear warmup from 0 to the peak over `warmup` steps, then cosine decay to `minimum` at the last step
/// (Loshchilov & Hutter 2017, SGDR Eq. 5, without restarts):
///   lr(s) = peak·s/warmup for s ≤ warmup;  lr(s) = min + ½(peak − min)(1 + cos(π·(s − warmup)/(total − warmup))).
/// Steps count from 1.
public struct LearningRateSchedule: Sendable, Equatable {
    public var peak: Double
    public var minimum: Double
    public var warmup: Int
    public var total: Int

    public init(peak: Double, minimum: Double, warmup: Int, total: Int) {
        self.peak = peak; self.minimum = minimum; self.warmup = warmup; self.total = total
    }

    public func rate(at step: Int) -> Double {
        if warmup > 0 && step <= warmup { return peak * Double(step) / Double(warmup) }
        let span = max(1, total - warmup)
        let progress = min(1, max(0, Double(step - warmup) / Double(span)))
        return minimum + 0.5 * (peak - minimum) * (1 + cos(Double.pi * progress))
    }
}

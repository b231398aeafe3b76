import Foundation

/// The order-0 byte model: p(b) from training byte counts with add-one (Laplace) smoothing, so unseen bytes
/// keep finite cost. Its cross-entropy on validation bytes, −Σ log₂ p(b)/n, is the bits-per-byte a model gets
/// from byte frequencies alone; a trained model must beat it.
public struct UnigramBaseline: Sendable {
    public let logProbability: [Double]

    public init<C: Collection>(training: C) where C.Element == UInt8 {
        var counts = [Double](repeating: 1, count: 256)
        for b in training { counts[Int(b)] += 1 }
        let total = counts.reduce(0, +)
        logProbability = counts.map { Foundation.log($0 / total) }
    }

    /// Bits per byte on `bytes` (predicting every byte).
    public func bitsPerByte<C: Collection>(on bytes: C) -> Double where C.Element == UInt8 {
        guard !bytes.isEmpty else { return .nan }
        var nats = 0.0
        for b in bytes { nats -= logProbability[Int(b)] }
        return nats / Double(bytes.count) / Foundation.log(2)
    }
}

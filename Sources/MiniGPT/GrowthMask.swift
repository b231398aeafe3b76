/// The masks of one growth in progress (MSG: Yao et al., "Masked Structural Growth for 2× Faster Language Model
/// Pre-training", ICLR 2024 §3; code cofe-ai/MSG). New structure enters multiplied by a scalar c that ramps
/// 0 → 1: at c = 0 the grown model computes exactly the old function whatever the new weights hold, and at
/// c = 1 it is the plain model of the new shape (then the mask is removed: `GPT.setGrowthMask(nil)`).
public struct GrowthMask: Codable, Sendable, Equatable {
    /// c, from 0 (right after growth) to 1 (end of the ramp).
    public var value: Double
    /// Residual-stream coordinates from this index on are new (hidden or heads growth): every norm weighs them
    /// by c in its statistics and multiplies its output there by c (`Normalization`).
    public var newHiddenFrom: Int?
    /// Attention heads from this index on are new (heads growth): their q, k and v are multiplied by c.
    public var newHeadsFrom: Int?
    /// FFN neurons from this index on are new: their pre-activation (SwiGLU: the gate's) is multiplied by c,
    /// so they emit act(0) = 0 at c = 0 (GELU(0) = SiLU(0) = 0).
    public var newFFNFrom: Int?
    /// Inserted layers (depth growth), as indices of the grown model: h ← h + c·(block(h) − h).
    public var newLayers: [Int]

    public init(value: Double, newHiddenFrom: Int? = nil, newHeadsFrom: Int? = nil, newFFNFrom: Int? = nil,
                newLayers: [Int] = []) {
        self.value = value; self.newHiddenFrom = newHiddenFrom; self.newHeadsFrom = newHeadsFrom
        self.newFFNFrom = newFFNFrom; self.newLayers = newLayers
    }
}

/// y[r, columns] *= c for every row of a row-major matrix with leading dimension `ld` (a mask on new units).
@inline(__always)
func scaleColumns<Scalar: GPTScalar>(_ y: UnsafeMutablePointer<Scalar>, rows: Int, ld: Int, _ columns: Range<Int>,
                                     by c: Scalar) {
    if columns.isEmpty { return }
    for r in 0..<rows {
        let row = y + r * ld
        for j in columns { row[j] *= c }
    }
}

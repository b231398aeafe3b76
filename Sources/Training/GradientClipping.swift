import MiniGPT

/// Global-norm gradient clipping (Pascanu et al. 2013, Algorithm 1): if ‖g‖₂ > c, g ← g·c/‖g‖₂.
public enum GradientClipping {
    /// ‖g‖₂ over all parameters, accumulated in Double in a fixed order (deterministic).
    public static func norm(_ g: Buffer<Float>) -> Double {
        var total = 0.0
        let p = g.pointer
        var i = 0
        // Float partial sums over short blocks keep it fast; blocks are summed in Double.
        while i < g.count {
            let end = min(i + 1024, g.count)
            var s: Float = 0
            for j in i..<end { s += p[j] * p[j] }
            total += Double(s)
            i = end
        }
        return total.squareRoot()
    }

    /// Clips in place; returns the norm before clipping. `maxNorm` ≤ 0 disables clipping.
    @discardableResult
    public static func clip(_ g: Buffer<Float>, maxNorm: Double) -> Double {
        let n = norm(g)
        if maxNorm > 0 && n > maxNorm && n.isFinite {
            let s = Float(maxNorm / n)
            for i in 0..<g.count { g.pointer[i] *= s }
        }
        return n
    }
}

import Testing
@testable import MiniGPT
import SeededRandom

/// Central finite differences in Double: ∂L/∂θᵢ ≈ (L(θ + h·eᵢ) − L(θ − h·eᵢ)) / 2h, error O(h²).
/// `parameter` is perturbed in place and restored. Returns the worst error relative to the gradient scale.
func finiteDifferenceError(parameter: UnsafeMutablePointer<Double>, count: Int, analytic: [Double],
                           step h: Double = 1e-5, loss: () -> Double) -> (worst: Double, scale: Double) {
    precondition(analytic.count == count)
    var numeric = [Double](repeating: 0, count: count)
    for i in 0..<count {
        let saved = parameter[i]
        parameter[i] = saved + h
        let up = loss()
        parameter[i] = saved - h
        let down = loss()
        parameter[i] = saved
        numeric[i] = (up - down) / (2 * h)
    }
    let scale = max(numeric.map(abs).max() ?? 0, 1e-12)
    var worst = 0.0
    for i in 0..<count { worst = max(worst, abs(numeric[i] - analytic[i]) / scale) }
    return (worst, scale)
}

/// Deterministic values in [-r, r].
func randomValues(_ n: Int, seed: UInt64, range r: Double = 1) -> [Double] {
    var g = Xoshiro256(seed: seed)
    return (0..<n).map { _ in (g.nextDouble() * 2 - 1) * r }
}

func fill(_ p: UnsafeMutablePointer<Double>, _ values: [Double]) {
    for (i, v) in values.enumerated() { p[i] = v }
}

func copyOut(_ p: UnsafePointer<Double>, _ n: Int) -> [Double] { Array(UnsafeBufferPointer(start: p, count: n)) }

/// Σ wᵢ·yᵢ: a scalar objective whose gradient with respect to y is w (random, so every output matters).
func dot(_ w: [Double], _ y: UnsafePointer<Double>) -> Double {
    var s = 0.0
    for i in 0..<w.count { s += w[i] * y[i] }
    return s
}

let gradientTolerance = 1e-6

@_implementationOnly import CGSL
import Foundation

/// A fitted power law used to predict: L(x) = a·x^b + c with its parameter covariance, and a prediction
/// interval for a new observation at x (delta method):
///   ŷ ± t_{n−3, (1+level)/2} · √(s² + gᵀ C g),   g = ∂L/∂(a, b, c) = (x^b, a·x^b·ln x, 1),
/// with s² = SSR/(n − 3) the residual variance and C the parameter covariance (Seber & Wild, Nonlinear
/// Regression, §5.1). µScaling (FLM-101B §3) fits the same law to µP proxies' losses against model size.
public struct PowerLawPrediction: Sendable, Equatable, Codable {
    public var law: PowerLaw
    public var standardErrors: [Double]
    public var covariance: [[Double]]
    public var points: Int
    /// Points minus parameters (n − 3).
    public var degreesOfFreedom: Int
    public var residualVariance: Double

    public struct Interval: Sendable, Equatable, Codable {
        public var value: Double
        public var lower: Double
        public var upper: Double
        public var level: Double
    }

    /// Points a prediction needs: the law's 3 parameters and one degree of freedom for the interval.
    public static let minimumPoints = 4

    /// Fits and keeps what an interval needs (at least `minimumPoints` points).
    public static func fit(xs: [Double], ys: [Double]) throws -> PowerLawPrediction {
        guard xs.count >= minimumPoints else { throw CurveFitError.tooFewPoints(needed: minimumPoints, got: xs.count) }
        // Start from the data: c below the smallest loss, b = −0.3 (between Kaplan's −0.076 and µScaling's −0.42),
        // a so that the first point is matched.
        let minY = ys.min() ?? 0, x0 = xs.min() ?? 1
        let b0 = -0.3, c0 = minY - 0.5 * ((ys.max() ?? minY) - minY) - 0.01
        let a0 = max(1e-6, (ys[xs.firstIndex(of: x0) ?? 0] - c0) / pow(x0, b0))
        let (law, r) = try PowerLaw.fit(xs: xs, ys: ys, initial: PowerLaw(a: a0, b: b0, c: c0))
        guard law.a > 0, law.b < 0 else {
            throw CurveFitError.didNotConverge(String(format: "the fit is not a falling power law (a = %.3g, b = %.3g): the proxies' losses do not fall with size", law.a, law.b))
        }
        // Proxies whose losses barely differ say nothing about size: ask for a drop of at least 0.1% of the loss
        // over their range before extrapolating anything.
        let drop = law(xs.min()!) - law(xs.max()!)
        guard drop > 1e-3 * abs(law(xs.max()!)) else {
            throw CurveFitError.didNotConverge(String(format: "the fitted loss falls by only %.2g over the proxies' sizes (less than 0.1%%): they do not show a size trend to extrapolate", drop))
        }
        guard r.standardErrors.allSatisfy(\.isFinite) else {
            throw CurveFitError.didNotConverge("the parameters' standard errors are not finite (a flat or degenerate fit)")
        }
        return PowerLawPrediction(law: law, standardErrors: r.standardErrors, covariance: r.covariance, points: xs.count,
                                  degreesOfFreedom: r.degreesOfFreedom,
                                  residualVariance: r.sumOfSquares / Double(r.degreesOfFreedom))
    }

    /// The prediction at x with a `level` (e.g. 0.95) interval for a new observation.
    public func predict(_ x: Double, level: Double = 0.95) -> Interval {
        let xb = pow(x, law.b)
        let g = [xb, law.a * xb * log(x), 1]
        var variance = residualVariance
        for i in 0..<3 { for j in 0..<3 { variance += g[i] * covariance[i][j] * g[j] } }
        let t = gsl_cdf_tdist_Pinv((1 + level) / 2, Double(degreesOfFreedom))
        let half = t * max(0, variance).squareRoot()
        let y = law(x)
        return Interval(value: y, lower: y - half, upper: y + half, level: level)
    }
}

import Foundation

/// Least-squares fit of log y = a + b·log x: b is the log-log slope, the exponent of y ∝ x^b. The coordinate
/// check reads b of mean |x| against width: 0 means width-independent, +1 means growing in proportion to width.
public struct LogLogFit: Codable, Sendable, Equatable {
    /// b: the exponent.
    public var slope: Double
    /// a, in natural log.
    public var intercept: Double
    /// Coefficient of determination of the fit in log space (1 for an exact power law; 1 when y is constant).
    public var rSquared: Double

    /// nil when fewer than two distinct x, or any x or y is not positive and finite.
    public init?(x: [Double], y: [Double]) {
        guard x.count == y.count, x.count >= 2,
              x.allSatisfy({ $0 > 0 && $0.isFinite }), y.allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
        let lx = x.map { Foundation.log($0) }, ly = y.map { Foundation.log($0) }
        let n = Double(x.count)
        let mx = lx.reduce(0, +) / n, my = ly.reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for i in 0..<x.count {
            let dx = lx[i] - mx, dy = ly[i] - my
            sxx += dx * dx; sxy += dx * dy; syy += dy * dy
        }
        guard sxx > 0 else { return nil }
        slope = sxy / sxx
        intercept = my - slope * mx
        let residual = syy - slope * sxy
        rSquared = syy > 0 ? max(0, 1 - residual / syy) : 1
    }
}

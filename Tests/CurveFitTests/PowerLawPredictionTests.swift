import Foundation
import Testing
@testable import CurveFit

@Suite struct PowerLawPredictionTests {
    /// Points from a known law with small deterministic noise: the fit recovers it, the interval covers the
    /// true value at 4× the largest x, and narrows as the noise shrinks.
    @Test func recoversAKnownLawAndCoversTheTruth() throws {
        let truth = PowerLaw(a: 40, b: -0.3, c: 1.5)
        let xs = [1e5, 2e5, 4e5, 8e5, 1.6e6, 3.2e6]
        let noise = [0.004, -0.003, 0.002, -0.004, 0.003, -0.002]
        let fit = try PowerLawPrediction.fit(xs: xs, ys: zip(xs, noise).map { truth($0) + $1 })
        let at = 4 * xs.last!
        let p = fit.predict(at)
        #expect(p.lower < truth(at) && truth(at) < p.upper, "\(p) vs \(truth(at))")
        #expect(abs(p.value / truth(at) - 1) < 0.01)
        let quiet = try PowerLawPrediction.fit(xs: xs, ys: zip(xs, noise).map { truth($0) + $1 / 10 }).predict(at)
        #expect(quiet.upper - quiet.lower < p.upper - p.lower)
        #expect(fit.standardErrors.count == 3 && fit.standardErrors.allSatisfy { $0.isFinite && $0 > 0 })
    }

    @Test func refusesTooFewPointsAndDegenerateData() {
        #expect(throws: CurveFitError.tooFewPoints(needed: 4, got: 3)) {
            try PowerLawPrediction.fit(xs: [1, 2, 3], ys: [3, 2, 1])
        }
        // Identical losses at every size: no power law is identifiable, and nothing must be predicted.
        #expect(throws: CurveFitError.self) {
            try PowerLawPrediction.fit(xs: [1e5, 2e5, 4e5, 8e5], ys: [2, 2, 2, 2])
        }
    }
}

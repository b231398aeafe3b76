import Testing
import Foundation
@testable import CurveFit

@Suite struct PowerLawTests {
    @Test func recoversExactParametersFromNoiselessData() throws {
        let truth = PowerLaw(a: 2.5, b: -0.4, c: 2.9)
        let xs: [Double] = [8, 21, 39, 61, 87, 118, 154, 194]
        let (law, result) = try PowerLaw.fit(xs: xs, ys: xs.map { truth($0) })
        #expect(abs(law.a - 2.5) < 1e-6)
        #expect(abs(law.b + 0.4) < 1e-6)
        #expect(abs(law.c - 2.9) < 1e-6)
        #expect(result.sumOfSquares < 1e-18)
    }

    /// µScaling's published data (cofe-ai/Mu-scaling fit_scale_loss_prediction.py): fit on the 7 smallest
    /// widths, extrapolate to 1.45B params. The research notes report a = 2.469, b = −0.423, c = 2.923 and
    /// a prediction of 3.037 against the measured 3.0425 (within 0.3%).
    @Test func reproducesMuScalingExtrapolation() throws {
        let params = [8.53, 21.56, 39.09, 61.12, 87.65, 118.68, 154.21]
        let loss = [3.9181, 3.6054, 3.4431, 3.3542, 3.2902, 3.2478, 3.224]
        let (law, result) = try PowerLaw.fit(xs: params, ys: loss)
        #expect(abs(law.a - 2.469) < 0.01)
        #expect(abs(law.b + 0.423) < 0.005)
        #expect(abs(law.c - 2.923) < 0.005)
        #expect(abs(law(1446.72) - 3.0425) / 3.0425 < 0.003)
        #expect(result.standardErrors.allSatisfy { $0.isFinite && $0 > 0 })
    }

    @Test func rejectsBadInput() {
        #expect(throws: CurveFitError.tooFewPoints(needed: 3, got: 2)) {
            try PowerLaw.fit(xs: [1, 2], ys: [1, 2])
        }
        #expect(throws: CurveFitError.self) { try PowerLaw.fit(xs: [0, 1, 2], ys: [1, 2, 3]) }
        #expect(throws: CurveFitError.self) { try PowerLaw.fit(xs: [1, 2, 3], ys: [1, .nan, 3]) }
    }
}

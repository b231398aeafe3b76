import Testing
@testable import GrowthComparison

@Suite struct EqualLossTests {
    let curve: [(step: Int, tokens: Double, seconds: Double, bpb: Double)] = [
        (10, 1000, 10, 4.0), (20, 2000, 30, 3.0), (30, 3000, 60, 2.5),
    ]

    @Test func interpolatesBetweenTheEvaluationsAroundTheTarget() {
        let hit = MeasuredComparison.firstCrossing(of: 2.75, in: curve)
        #expect(hit?.seconds == 45 && hit?.tokens == 2500)
        #expect(MeasuredComparison.firstCrossing(of: 3.0, in: curve)?.seconds == 30)
    }

    @Test func firstEvaluationAlreadyBelowAndNeverReached() {
        #expect(MeasuredComparison.firstCrossing(of: 5, in: curve)?.seconds == 10)
        #expect(MeasuredComparison.firstCrossing(of: 2.4, in: curve) == nil)
    }
}

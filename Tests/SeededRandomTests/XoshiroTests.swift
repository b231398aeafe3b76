import Testing
@testable import SeededRandom

@Suite struct XoshiroTests {
    @Test func sameSeedSameStreamAndRestoredStateContinues() {
        var a = Xoshiro256(seed: 42), b = Xoshiro256(seed: 42)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        let saved = a.state
        let expected = (0..<50).map { _ in a.next() }
        var restored = Xoshiro256(state: saved)!
        #expect((0..<50).map { _ in restored.next() } == expected)
        #expect(Xoshiro256(seed: 43).state != Xoshiro256(seed: 42).state)
        #expect(Xoshiro256(seed: 1, stream: "init").state != Xoshiro256(seed: 1, stream: "data").state)
    }

    @Test func invalidStatesAreRejected() {
        #expect(Xoshiro256(state: [0, 0, 0, 0]) == nil)
        #expect(Xoshiro256(state: [1, 2, 3]) == nil)
    }

    @Test func uniformIntegersCoverTheRangeEvenly() {
        var r = Xoshiro256(seed: 7)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { counts[r.nextInt(below: 10)] += 1 }
        for c in counts { #expect(abs(c - 10_000) < 500) }
    }

    @Test func truncatedNormalHasTheRightSpreadAndBound() {
        var r = Xoshiro256(seed: 3)
        let xs = (0..<50_000).map { _ in r.nextTruncatedNormal(std: 0.5) }
        #expect(xs.allSatisfy { abs($0) <= 1.0 })
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
        // A normal truncated at ±2σ keeps a fraction 1 − 2·2·φ(2)/(2Φ(2) − 1) = 0.7737 of its variance.
        #expect(abs(mean) < 0.01)
        #expect(abs(variance / 0.25 - 0.7737) < 0.02)
    }
}

import Foundation

/// FLM-101B Figure 1: the cost of growing a model along N(t) = N_final·(t/D)^k over D tokens, against training
/// N_final on all D tokens. Continuous curves save k/(k + 1) of the FLOPs (linear k = 1: exactly 50%;
/// super-linear k > 1 saves more, sub-linear k < 1 less). On the scenario's own model sizes the curve becomes a
/// staircase: each size trains until the curve passes it; its saving in FLOPs and in simulated time is computed.
public struct GrowthShape: Sendable, Equatable, Codable {
    public var name: String
    public var exponent: Double
    /// Share of the tokens each stage gets.
    public var tokenShares: [Double]
    public var continuousFlopSaving: Double
    public var staircaseFlopSaving: Double
    public var staircaseTimeSaving: Double
}

public struct ShapesReport: Sendable, Equatable, Codable {
    public var scenario: String
    public var stageNames: [String]
    public var stageParameters: [Int]
    public var totalTokens: Double
    public var shapes: [GrowthShape]
    /// The exponent of a continuous curve that saves as many FLOPs as the scenario's own schedule.
    public var scenarioEquivalentExponent: Double
}

public enum GrowthShapes {
    public static func report(scenario: String, rates: [StageRate], tokens: [Double],
                              exponents: [(String, Double)] = [("sub-linear", 0.5), ("linear", 1), ("super-linear", 2)]) -> ShapesReport {
        let sizes = rates.map { Double($0.parameters) }
        let speeds = rates.map(\.tokensPerSecond)
        let D = tokens.reduce(0, +)
        let final = sizes.last!
        // FLOPs as 6·N·D (the saving ratio does not depend on the constant); time from simulated throughput.
        func saving(_ shares: [Double]) -> (flops: Double, time: Double) {
            let flops = zip(shares, sizes).map { $0 * $1 }.reduce(0, +) / final
            let time = zip(shares, speeds).map { $0 / $1 }.reduce(0, +) * speeds.last!
            return (1 - flops, 1 - time)
        }
        var shapes: [GrowthShape] = []
        for (name, k) in exponents {
            // Stage i trains while N(t) ≤ N_i: t/D from (N_{i−1}/N_f)^{1/k} to (N_i/N_f)^{1/k}.
            var shares: [Double] = []
            var previous = 0.0
            for (i, n) in sizes.enumerated() {
                let upTo = i == sizes.count - 1 ? 1 : pow(n / final, 1 / k)
                shares.append(max(0, upTo - previous))
                previous = upTo
            }
            let s = saving(shares)
            shapes.append(GrowthShape(name: name, exponent: k, tokenShares: shares, continuousFlopSaving: k / (k + 1),
                                      staircaseFlopSaving: s.flops, staircaseTimeSaving: s.time))
        }
        let own = tokens.map { $0 / D }
        let s = saving(own)
        let k = s.flops / (1 - s.flops)
        shapes.append(GrowthShape(name: "this scenario", exponent: k, tokenShares: own, continuousFlopSaving: k / (k + 1),
                                  staircaseFlopSaving: s.flops, staircaseTimeSaving: s.time))
        return ShapesReport(scenario: scenario, stageNames: rates.map(\.stage.name), stageParameters: rates.map(\.parameters),
                            totalTokens: D, shapes: shapes, scenarioEquivalentExponent: k)
    }
}

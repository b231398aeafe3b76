import Hardware
import PaperReference
import Scenario

/// What a budget buys: the token count the schedule can afford, and the same for the final model from scratch.
public struct BudgetResult: Sendable, Equatable, Codable {
    public enum Limit: String, Sendable, Codable { case usd, days }
    public enum Scaling: String, Sendable, Codable, CaseIterable {
        /// Every stage's tokens scaled by the same factor.
        case proportional
        /// Earlier stages as in the scenario; only the last stage's tokens change.
        case last
    }
    public var limit: Limit
    public var target: Double
    public var scaling: Scaling
    /// Factor applied to the scenario's tokens (all stages, or the last one).
    public var factor: Double
    public var schedule: RunEstimate
    /// The final stage's model trained from scratch with the same budget.
    public var scratch: RunEstimate
    public var iterations: Int
}

public enum BudgetError: Error, CustomStringConvertible, Equatable {
    case notPositive(String, Double)
    case belowFixedCosts(String)
    case didNotConverge(String)
    public var description: String {
        switch self {
        case let .notPositive(what, v): "\(what): expected a positive budget, found \(v)"
        case let .belowFixedCosts(why): why
        case let .didNotConverge(why): "budget solve did not converge: \(why)"
        }
    }
}

/// Solves for the tokens a budget affords. Cost is increasing and almost affine in the token factor α
/// (time = fixed transitions + α × per-token time, stretched by a constant failure factor; only step and
/// checkpoint counts round), so a secant iteration from two evaluations converges in a few steps.
public enum BudgetSolver {
    public static func solve(_ scenario: Scenario, system: SystemProfile, rates: [StageRate], limit: BudgetResult.Limit,
                             target: Double, scaling: BudgetResult.Scaling, references: ReferenceTable?,
                             failures: Bool? = nil) throws -> BudgetResult {
        guard target > 0, target.isFinite else { throw BudgetError.notPositive(limit == .usd ? "--usd" : "--days", target) }
        let base = scenario.stages.map(\.tokens)
        func tokens(_ α: Double) -> [Double] {
            switch scaling {
            case .proportional: return base.map { $0 * α }
            case .last: return base.enumerated().map { $0.offset == base.count - 1 ? $0.element * α : $0.element }
            }
        }
        func measure(_ e: RunEstimate) -> Double { limit == .usd ? e.spend.usd : e.days }
        func estimate(_ α: Double) throws -> RunEstimate {
            try Estimator.assemble(scenario, system: system, rates: rates, tokens: tokens(α), references: references, failures: failures)
        }
        let (α, sched, n1) = try secant(target: target, name: scenario.name) { measure(try estimate($0)) }
        // From scratch: the final stage alone, at its own throughput, from the first token.
        var scratchScenario = scenario
        scratchScenario.stages = [scenario.stages.last!]
        let scratchRate = [rates.last!]
        let finalTokens = base.last!
        func scratchEstimate(_ x: Double) throws -> RunEstimate {
            try Estimator.assemble(scratchScenario, system: system, rates: scratchRate, tokens: [finalTokens * x], references: nil, failures: failures)
        }
        let (x, _, n2) = try secant(target: target, name: "\(scenario.name) (final model from scratch)") { measure(try scratchEstimate($0)) }
        _ = sched
        return BudgetResult(limit: limit, target: target, scaling: scaling, factor: α, schedule: try estimate(α),
                            scratch: try scratchEstimate(x), iterations: n1 + n2)
    }

    /// Root of f(α) = target for increasing f, by secant steps from α = 1 and α = 2.
    static func secant(target: Double, name: String, _ f: (Double) throws -> Double) throws -> (Double, Double, Int) {
        var a0 = 1.0, f0 = try f(a0)
        var a1 = 2.0, f1 = try f(a1)
        let slope = f1 - f0
        let fixed = f0 - slope * a0
        if fixed >= target {
            throw BudgetError.belowFixedCosts("\(name): the budget (\(target)) does not cover the costs that do not depend on tokens (\(fixed): growth transitions)")
        }
        for i in 0..<50 {
            // Step and checkpoint counts round, so f is a fine staircase: stop within 1e-4 of the target.
            if abs(f1 - target) / target < 1e-4 { return (a1, f1, i + 2) }
            guard f1 != f0 else { throw BudgetError.didNotConverge("\(name): cost did not change between two token counts") }
            let a2 = a1 + (target - f1) * (a1 - a0) / (f1 - f0)
            let f2 = try f(a2)
            a0 = a1; f0 = f1; a1 = max(a2, 1e-12); f1 = f2
            if abs(a1 - a0) < 1e-12 * max(1, a1) { return (a1, f1, i + 3) }
        }
        throw BudgetError.didNotConverge("\(name): |f − target| = \(abs(f1 - target))")
    }
}

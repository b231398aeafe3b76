import Testing
import Scenario
import ScenarioSim
@testable import RunCost

/// Issue #4's acceptance figures. They come out of the simulator; Data/reference only supplies the paper's side.
@Suite struct AcceptanceTests {
    /// Failures off: total within ±10% of the published 21.54 days, each stage within ±12% of 9.63 / 5.37 / 6.54,
    /// about $100K at the default $1/GPU-hour (±10%).
    @Test func flmGrowthEstimate() throws {
        let e = try Estimator.estimate(Fixtures.scenario("flm-101b-growth.yaml"), systems: Fixtures.systems,
                                       references: Fixtures.references, failures: false)
        #expect(abs(e.days / 21.54 - 1) <= 0.10, "total \(e.days) days")
        for (s, paper) in zip(e.stages, [9.63, 5.37, 6.54]) {
            #expect(abs(s.days / paper - 1) <= 0.12, "stage \(s.stage): \(s.days) days")
            #expect(s.paperDays == paper)
        }
        #expect(abs(e.spend.usd / 100_000 - 1) <= 0.10, "cost $\(e.spend.usd)")
        #expect(e.shares.failures == 0)
        #expect(abs(e.shares.total - e.wallSeconds) / e.wallSeconds < 0.02)
    }

    /// Growth vs scratch: time saving within ±3 points of 72%, scratch within ±10% of 76.74 days.
    @Test func flmGrowthVersusScratch() throws {
        let refs = Fixtures.references
        let a = try Estimator.estimate(Fixtures.scenario("flm-101b-growth.yaml"), systems: Fixtures.systems, references: refs)
        let b = try Estimator.estimate(Fixtures.scenario("flm-101b-scratch.yaml"), systems: Fixtures.systems, references: refs)
        let c = RunComparison(a: a, b: b, references: refs, paper: "flm-101b")
        #expect(abs(c.timeSaving - 0.72) <= 0.03, "saving \(c.timeSaving)")
        #expect(abs(c.speedup - 3.56) / 3.56 <= 0.12, "speedup \(c.speedup)")
        #expect(abs(b.days / 76.74 - 1) <= 0.10, "scratch \(b.days) days")
        #expect(abs(c.papersMethodDays / 76.74 - 1) <= 0.10)
    }

    /// `budget --usd 100000` and `estimate` agree: the solved tokens, re-simulated from scratch, cost $100K ± 1%.
    @Test(arguments: [BudgetResult.Scaling.proportional, .last])
    func budgetRoundTrip(scaling: BudgetResult.Scaling) throws {
        var scenario = Fixtures.scenario("flm-101b-growth.yaml")
        let system = try ScenarioSimulator.system(for: scenario, in: Fixtures.systems)
        let rates = try Estimator.rates(scenario, system: system)
        let r = try BudgetSolver.solve(scenario, system: system, rates: rates, limit: .usd, target: 100_000,
                                       scaling: scaling, references: nil)
        for i in scenario.stages.indices { scenario.stages[i].tokens = r.schedule.stages[i].tokens }
        let again = try Estimator.estimate(scenario, systems: Fixtures.systems, references: nil)
        #expect(abs(again.spend.usd / 100_000 - 1) < 0.01, "round trip $\(again.spend.usd)")
        #expect(abs(r.scratch.spend.usd / 100_000 - 1) < 0.01)
        #expect(r.schedule.tokens > 2 * r.scratch.tokens)   // growth buys far more tokens
    }

    @Test func budgetErrors() throws {
        let scenario = Fixtures.scenario("flm-101b-growth.yaml")
        let system = try ScenarioSimulator.system(for: scenario, in: Fixtures.systems)
        let rates = try Estimator.rates(scenario, system: system)
        #expect(throws: BudgetError.notPositive("--usd", -5)) {
            try BudgetSolver.solve(scenario, system: system, rates: rates, limit: .usd, target: -5, scaling: .proportional, references: nil)
        }
        // A budget below the growth transitions' fixed cost cannot buy any tokens.
        #expect(throws: BudgetError.self) {
            try BudgetSolver.solve(scenario, system: system, rates: rates, limit: .usd, target: 1, scaling: .proportional, references: nil)
        }
    }

    @Test func zeroPriceIsRejectedByTheScenario() throws {
        let text = try String(contentsOfFile: Fixtures.path("Scenarios/flm-101b-growth.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "price_per_gpu_hour_usd: 1.0", with: "price_per_gpu_hour_usd: 0")
        #expect(throws: (any Error).self) { try ScenarioLoader.parse(text: text, path: "zero.yaml", catalog: Fixtures.gpus) }
    }

    @Test func missingStageIsAClearError() throws {
        #expect(throws: ScenarioSimError.self) {
            try ScenarioSimulator.simulate(Fixtures.scenario("flm-101b-growth.yaml"), stage: "7B", systems: Fixtures.systems, references: nil)
        }
    }
}

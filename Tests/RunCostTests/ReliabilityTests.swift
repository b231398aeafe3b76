import Testing
import ScenarioSim
@testable import RunCost

@Suite struct ReliabilityTests {
    /// Young's first-order optimum is √(2δM); Daly's higher-order form is close to it when δ ≪ M.
    @Test func dalyIntervalIsNearYoungForSmallCheckpoints() {
        let δ = 60.0, M = 3.1 * 3600
        let young = (2 * δ * M).squareRoot()
        let daly = Reliability.optimalInterval(checkpointSeconds: δ, mtbfSeconds: M)
        #expect(abs(daly - young) / young < 0.1)
        #expect(abs(young / 60 - 19.3) < 0.1)     // cluster-facts §4.7 worked example: ~19 min
        #expect(Reliability.optimalInterval(checkpointSeconds: 3 * M, mtbfSeconds: M) == M)
    }

    /// T = W(1 + δ/τ)/(1 − (R + (τ + δ)/2)/M), and the parts add up to the wall time.
    @Test func expectedWallTimeAlgebra() {
        let o = Reliability.run(work: 100 * 3600, checkpointSeconds: 100, interval: 3600, mtbfSeconds: 50 * 3600,
                                restartSeconds: 600, failures: true)
        let checkpoints = 100.0
        let expected = (100 * 3600 + checkpoints * 100) / (1 - (600 + 1850) / (50 * 3600))
        #expect(abs(o.wallSeconds - expected) < 1e-6)
        #expect(abs(o.expectedFailures - o.wallSeconds / (50 * 3600)) < 1e-12)
        #expect(abs(o.wallSeconds - (100 * 3600 + o.checkpointSeconds + o.lostWorkSeconds + o.restartSeconds)) < 1e-6)
        let off = Reliability.run(work: 100 * 3600, checkpointSeconds: 100, interval: 3600, mtbfSeconds: 50 * 3600,
                                  restartSeconds: 600, failures: false)
        #expect(off.wallSeconds == 100 * 3600 + 10_000 && off.expectedFailures == 0)
    }
}

/// Issue 18: a run whose failures cost more than the time between them is an error naming the fields, not a
/// table of infinities; a budget beyond any meaningful token count is an error too.
@Suite struct UnfinishableRunTests {
    @Test func failuresFasterThanRestartsAreAnErrorNamingTheFields() throws {
        var s = Fixtures.scenario("flm-101b-growth.yaml")
        s.run.nodeMTBFHours = 1
        s.run.restartMinutes = 100
        #expect { _ = try Estimator.estimate(s, systems: Fixtures.systems, references: nil) } throws: { e in
            let t = "\(e)"
            return t.contains("flm-101b-growth.yaml: run.node_mtbf_hours: expected failures rarer than what each one costs")
                && t.contains("24 nodes at 1 h node MTBF fail every 2.5 min") && !t.contains("inf")
        }
        // Without failures the same scenario is finite.
        let e = try Estimator.estimate(s, systems: Fixtures.systems, references: nil, failures: false)
        #expect(e.wallSeconds.isFinite && e.wallSeconds > 0)
    }

    @Test func tokensBeyondTheRangeAreRefusedByTheEstimate() throws {
        let s = Fixtures.scenario("flm-101b-scratch.yaml")
        let system = try ScenarioSimulator.system(for: s, in: Fixtures.systems)
        let rates = try Estimator.rates(s, system: system)
        #expect { _ = try Estimator.assemble(s, system: system, rates: rates, tokens: [1e30], references: nil) } throws: {
            "\($0)".contains("stages[0].tokens: expected a number of tokens between 1 and 1e16")
        }
    }
}

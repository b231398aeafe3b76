import Testing
import ModelKit
@testable import Scenario

/// The scenario files in Scenarios/ load and carry the published figures (issue #2's acceptance).
@Suite struct ShippedScenarioTests {
    private func load(_ name: String) throws -> Scenario {
        try ScenarioLoader.load(path: Fixtures.path("Scenarios/\(name)"), catalog: Fixtures.catalog)
    }
    private func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / b }

    @Test func flmGrowthSchedule() throws {
        let s = try load("flm-101b-growth.yaml")
        #expect(s.stages.map(\.name) == ["16B", "51B", "101B"])
        #expect(s.stages.map(\.tokens) == [245.37e9, 39.64e9, 26.54e9])
        #expect(s.stages.map(\.globalBatch) == [2304, 2304, 2160])
        #expect(s.stages.map { [$0.layout.tensor, $0.layout.pipeline, $0.layout.data] } == [[2, 1, 96], [4, 2, 24], [4, 4, 12]])
        #expect(s.cluster.gpus == 192)
        // Final stage is the published shape and within 1% of 101B.
        let final = s.stages[2].model
        #expect([final.layers, final.hidden, final.heads, final.ffnHidden, final.paddedVocab] == [80, 10240, 80, 40960, 100352])
        #expect(relative(Double(ParameterCount(final).total), 101e9) < 0.01)
        // Σ 6·N·D within 3% of the paper's 52.76 zettaFLOPs.
        let sixND = s.stages.map { FlopFormulas.sixND(parameters: ParameterCount($0.model).total, tokens: $0.tokens) }.reduce(0, +)
        #expect(relative(sixND / 1e21, 52.76) < 0.03)
    }

    @Test func flmScratchUsesAllTokensOnTheFinalShape() throws {
        let scratch = try load("flm-101b-scratch.yaml")
        let growth = try load("flm-101b-growth.yaml")
        #expect(scratch.stages.count == 1)
        #expect(abs(scratch.totalTokens - growth.totalTokens) < 1e3)
        #expect(scratch.stages[0].model == growth.stages[2].model)
        #expect(scratch.stages[0].layout == growth.stages[2].layout)
    }

    @Test func teleFLM() throws {
        let s = try load("tele-flm-52b.yaml")
        let stage = s.stages[0]
        #expect(stage.globalBatch == 1344)
        #expect(stage.tokens == 2e12)
        #expect(s.cluster.gpus == 896)
        #expect(relative(Double(ParameterCount(stage.model).total), 52_850e6) < 0.002)
    }
}

/// The mini growth schedule is one file for both halves: the scenario loader reads it (its training sections are
/// the trainer's) and the simulator can price it.
@Suite struct ShippedMiniScheduleTests {
    @Test func miniGrowthAndScratchLoadAsScenarios() throws {
        for name in ["growth", "scratch"] {
            let s = try ScenarioLoader.load(path: Fixtures.path("Scenarios/mini/\(name).yaml"), catalog: Fixtures.catalog)
            #expect(s.stages.last?.model.hidden == 320 && s.stages.last?.model.layers == 6)
            #expect(abs(s.totalTokens - 1_597_440) < 1)
        }
    }
}

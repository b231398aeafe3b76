import Testing
import Foundation
import Hardware
import ModelKit
import PaperReference
import Scenario
@testable import Inspection

@Suite struct InspectorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func path(_ p: String) -> String { root.appendingPathComponent(p).path }

    private func report(_ scenario: String) throws -> InspectReport {
        let catalog = try HardwareCatalog.load(path: Self.path("Data/hardware/gpus.yaml"))
        let refs = try ReferenceTable.load(directory: Self.path("Data/reference"))
        let s = try ScenarioLoader.load(path: Self.path("Scenarios/\(scenario)"), catalog: catalog)
        return Inspector.inspect(s, references: refs)
    }

    @Test func flmGrowthReportComparesWithThePaper() throws {
        let r = try report("flm-101b-growth.yaml")
        #expect(r.stages.map(\.growthFromPrevious) == [
            [], ["layers 40 → 80", "hidden 5632 → 7168", "heads 44 → 56", "ffn_hidden 22528 → 28672"],
            ["hidden 7168 → 10240", "heads 56 → 80", "ffn_hidden 28672 → 40960"]])
        let params101 = try #require(r.stages[2].comparisons.first { $0.quantity == "params" })
        #expect(abs(params101.relativeDelta) < 0.01)
        let cost = try #require(r.totalComparisons.first { $0.method.contains("6·N·D") })
        #expect(abs(cost.relativeDelta) < 0.03)
        #expect(r.stages.allSatisfy { $0.memory.fits })
        // Hardware FLOPs include selective recompute, so they exceed model FLOPs; 6ND ignores attention.
        for s in r.stages {
            #expect(s.trainingFlops.exactHardware > s.trainingFlops.exactModel)
            #expect(s.trainingFlops.exactModel > s.trainingFlops.sixND)
        }
    }

    @Test func textAndJSONRender() throws {
        let r = try report("tele-flm-52b.yaml")
        let text = r.renderText()
        #expect(text.contains("TP × PP × DP"))
        #expect(text.contains("4 × 2 × 112"))
        let data = try JSONEncoder().encode(r)
        let back = try JSONDecoder().decode(InspectReport.self, from: data)
        #expect(back == r)
        #expect(!r.metrics().isEmpty)
    }
}

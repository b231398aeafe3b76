import Testing
import Foundation
import ConfigFile
@testable import Hardware

@Suite struct HardwareCatalogTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func shippedCatalogHasTheIssueGPUsWithSources() throws {
        let c = try HardwareCatalog.load(path: Self.root.appendingPathComponent("Data/hardware/gpus.yaml").path)
        for name in ["A800-SXM4-80GB", "A100-SXM4-80GB", "A100-SXM4-40GB", "H100-SXM5-80GB", "H800-SXM5-80GB"] {
            let g = try #require(c.gpu(named: name))
            #expect(!g.sources.isEmpty)
        }
        let a800 = try #require(c.gpu(named: "a800-sxm4-80gb"))
        #expect(a800.peakTFLOPs == 312)
        #expect(a800.nvlinkGBs == 400)
        #expect(c.gpu(named: "A100-SXM4-80GB")?.nvlinkGBs == 600)
    }

    @Test func badCatalogEntriesAreReported() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gpus-\(UUID()).yaml").path
        try """
        gpus:
          - name: X
            memory_gib: -1
            peak_bf16_tflops: 1
            hbm_gb_per_s: 1
            nvlink_gb_per_s: 1
            tdp_watts: 1
            sources: []
            colour: red
        """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try HardwareCatalog.load(path: path)
            Issue.record("expected an error")
        } catch let e as ConfigErrors {
            let fields = e.errors.map(\.field)
            #expect(fields.contains("gpus[0].memory_gib"))
            #expect(fields.contains("gpus[0].sources"))
            #expect(fields.contains("gpus[0].colour"))
        }
    }
}

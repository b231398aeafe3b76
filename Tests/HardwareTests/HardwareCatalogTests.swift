import Testing
import Foundation
import ConfigFile
import TestSupport
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

@Suite struct LocalProfileFormatTests {
    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("local-\(UUID()).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A system file may describe its own device (the profile `calibrate` writes) and name its software stack.
    @Test func aProfileWithItsOwnDeviceLoads() throws {
        let path = try writeOneDeviceProfile(peakTFLOPs: 0.064, memoryGBs: 12, gemmCurve: "[[0.01, 0.6], [1, 0.95]]",
                                             attentionCurve: "[[0.005, 0.6]]", kernelLaunchMicroseconds: 1.5,
                                             stepOverheadMicroseconds: 60)
        let s = try #require(try SystemCatalog.load(path: path, gpus: HardwareCatalog(gpus: [])).system(named: "local"))
        #expect(s.stack == .minigpt && s.threads == 2 && s.gpu.name == "cpu")
        #expect(abs(s.efficiency.stepOverhead - 60e-6) < 1e-12)
        #expect(s.efficiency.attentionCurve?.fraction(gflop: 0.005) == 0.6)
    }

    @Test func anUnknownStackIsRefusedByField() throws {
        let path = try write("""
        gpus:
          - {name: cpu, memory_gib: 16, peak_bf16_tflops: 0.064, hbm_gb_per_s: 12, nvlink_gb_per_s: 1, tdp_watts: 20, sources: [m]}
        systems:
          - {name: local, gpu: cpu, gpus_per_node: 1, nics_per_node: 1, nic_gbit_per_s: 1, stack: pytorch, sources: [m],
             efficiency: {gemm_curve: [[1, 0.5], [1, 0.6]], gemm_scale: 1, hbm_fraction: 1, nvlink_bus_fraction: 1,
                          network_bus_fraction: 1, nvlink_latency_us: 0, network_latency_us: 0, kernel_launch_us: 0,
                          kernels_per_layer_forward: 1}}
        """)
        do {
            _ = try SystemCatalog.load(path: path, gpus: HardwareCatalog(gpus: []))
            Issue.record("expected an error")
        } catch let e as ConfigErrors {
            let text = e.errors.map(\.description).joined(separator: "\n")
            #expect(text.contains("stack") && text.contains("megatron, minigpt") && text.contains("found 'pytorch'"), "\(text)")
            #expect(text.contains("gemm_curve") && text.contains("distinct GFLOP"), "\(text)")
        }
    }
}

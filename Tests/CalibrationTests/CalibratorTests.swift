import Foundation
import Testing
import Hardware
import LinearAlgebra
@testable import Calibration

@Suite(.serialized) struct CalibratorTests {
    /// A reduced grid (one width, 256 rows) through every measurement: positive, finite, and the profile it
    /// writes loads as the catalog's `local` system with the MiniGPT stack.
    @Test func smallCalibrationWritesALoadableProfile() throws {
        var c = Calibrator(threads: 2)
        c.rows = 256
        c.widths = [64]
        let result = try c.run()
        #expect(result.gemms.count == 5 && result.attention.count == 6 && result.memory.count == 11)
        #expect(result.peakGFLOPs > 0 && result.peakGFLOPs.isFinite)
        #expect(result.memoryGBPerSecond > 0 && result.memoryGBPerSecond.isFinite)
        #expect(result.stepOverheadSeconds >= 0 && result.layerDispatchSeconds >= 0)
        let path = NSTemporaryDirectory() + "gb-local-\(UUID().uuidString).yaml"
        try LocalProfile.yaml(result).write(toFile: path, atomically: true, encoding: .utf8)
        let system = try #require(try SystemCatalog.load(path: path, gpus: HardwareCatalog(gpus: [])).system(named: "local"))
        #expect(system.stack == .minigpt && system.gpusPerNode == 1 && system.threads == 2)
        #expect(abs(system.peakFLOPs - result.peakGFLOPs * 1e9) / system.peakFLOPs < 1e-4)
        #expect(system.efficiency.attentionCurve != nil)
        #expect(abs(system.efficiency.stepOverhead - result.stepOverheadSeconds) < 1e-6)
        // The fastest GEMM shape defines the peak: no point of the curve exceeds it (shapes of equal FLOPs are averaged).
        #expect(system.efficiency.gemm.maximum <= 1 && system.efficiency.gemm.maximum > 0.3)
    }

    @Test func aBrokenBLASIsRefusedWithAClearMessage() throws {
        var c = Calibrator(threads: 1)
        c.gemm = { _, _, m, n, _, _, _, _, _, out, _ in for i in 0..<(m * n) { out[i] = 0 } }
        #expect {
            try c.run()
        } throws: { error in
            "\(error)".contains("the BLAS library is broken") && "\(error)".contains("differs from the plain product")
        }
    }

    @Test func theTestBinaryUsesOpenBLAS() {
        #expect(BLASThreads.sgemmLibrary.lowercased().contains("openblas"))
    }
}

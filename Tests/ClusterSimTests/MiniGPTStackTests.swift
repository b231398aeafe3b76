import Testing
import Foundation
import Hardware
import ModelKit
import TestSupport
@testable import ClusterSim

/// The cost model on a one-device profile of the MiniGPT stack, against the sum written out by hand.
@Suite struct MiniGPTStackTests {
    /// A device with flat curves (every GEMM at 50 GFLOP/s, attention at 40, memory at 10 GB/s), 2 µs per kernel
    /// and 100 µs per step, as a profile file would give it.
    static func device() throws -> SystemProfile {
        let path = try writeOneDeviceProfile(peakTFLOPs: 0.1, memoryGBs: 10, gemmCurve: "[[1, 0.5]]", attentionCurve: "[[1, 0.4]]",
                                             kernelLaunchMicroseconds: 2, stepOverheadMicroseconds: 100)
        return try #require(try SystemCatalog.load(path: path, gpus: HardwareCatalog(gpus: [])).system(named: "local"))
    }

    @Test func iterationIsTheSumOfItsKernels() throws {
        let system = try Self.device()
        let m = ModelArchitecture(layers: 3, hidden: 128, heads: 2, ffnHidden: 512, vocab: 256, sequenceLength: 256,
                                  activation: .gelu, norm: .layernorm, position: .rope, tiedEmbeddings: false, linearBiases: true)
        let micro = 8, global = 16
        let (r, _) = try Simulator.simulate(model: m, layout: ParallelLayout(tensor: 1, pipeline: 1, data: 1, microBatch: micro),
                                            globalBatch: global, system: system, usableMemoryBytes: 1e12,
                                            options: SimulationOptions())
        let rows = Double(micro * 256), h = 128.0, f = 512.0, v = 256.0
        let gemmRate = 50e9, attentionRate = 40e9, bandwidth = 10e9, launch = 2e-6 * 9
        let layerGEMM = 2 * rows * h * (3 * h + h + f + f) / gemmRate
        let executed = MiniGPTKernels.attentionExecutedFraction(sequenceLength: 256)
        let attention = Double(micro * 2) * 4 * 256 * 256 * 64 * executed / attentionRate
        let forward = layerGEMM + attention + rows * MiniGPTKernels.layerBytesPerRow(m).forward / bandwidth + launch
        let backward = 2 * (layerGEMM + attention) + rows * MiniGPTKernels.layerBytesPerRow(m).backward / bandwidth + 2 * launch
        let outside = MiniGPTKernels.outsideLayersBytesPerRow(m)
        let logits = 3 * 2 * rows * h * v / gemmRate + rows * (outside.forward + outside.backward) / bandwidth
        let perMicroBatch = 3 * (forward + backward) + logits
        let parameters = Double(ParameterCount(m).total)
        let step = parameters * MiniGPTKernels.optimizerBytesPerParameter / bandwidth + 100e-6
        let expected = Double(global / micro) * perMicroBatch + step
        #expect(abs(r.iterationTime / expected - 1) < 1e-9, "\(r.iterationTime) vs \(expected)")
    }

    /// The block-causal share: blocks of 64 query rows over 256 keys execute (64·64 + 64·128 + 64·192 + 64·256)/256².
    @Test func blockCausalShare() {
        #expect(abs(MiniGPTKernels.attentionExecutedFraction(sequenceLength: 256) - 0.625) < 1e-12)
        #expect(MiniGPTKernels.attentionExecutedFraction(sequenceLength: 32) == 1)
    }
}

/// Recompute adds backward work on every stack: selective the attention core (and its score traffic), full a
/// whole forward pass (Korthikanti et al. 2022 §5).
@Suite struct RecomputeCostTests {
    @Test func recomputeAddsBackwardWork() throws {
        let m = ModelArchitecture(layers: 8, hidden: 1024, heads: 8, ffnHidden: 4096, vocab: 1024, sequenceLength: 1024)
        func chunk(_ r: Recompute) -> ChunkCost {
            CostModel.costs(model: m, layout: ParallelLayout(tensor: 2, pipeline: 1, data: 1, microBatch: 1, recompute: r),
                            globalBatch: 4, system: CostModelTests.a800).chunks[0][0]
        }
        let none = chunk(.none), selective = chunk(.selective), full = chunk(.full)
        #expect(none.layerForwardCompute == selective.layerForwardCompute)
        #expect(selective.layerBackwardCompute > none.layerBackwardCompute)
        #expect(abs(full.layerBackwardCompute - none.layerBackwardCompute - none.layerForwardCompute) < 1e-12)
    }
}

import Testing
import Foundation
import MiniGPT
import ModelKit
@testable import Training

@Suite struct OptimizerTests {
    @Test func warmupThenCosineToTheMinimum() {
        let s = LearningRateSchedule(peak: 1e-3, minimum: 1e-4, warmup: 10, total: 110)
        #expect(s.rate(at: 1) == 1e-4)
        #expect(abs(s.rate(at: 10) - 1e-3) < 1e-15)
        #expect(abs(s.rate(at: 60) - 5.5e-4) < 1e-12)   // halfway through the decay: (peak + min)/2
        #expect(abs(s.rate(at: 110) - 1e-4) < 1e-15)
        #expect(s.rate(at: 30) > s.rate(at: 31))
    }

    /// Two AdamW steps on a hand-checked tensor: bias correction, decay only on decayed roles, LR multipliers.
    @Test func adamWMatchesTheAlgorithm() throws {
        let store = ParameterStore<Float>(layout: [TensorLayout("w", .hidden, [2], .zeros), TensorLayout("b", .vector, [1], .zeros)])
        store.values[0] = 1; store.values[1] = -2; store.values[2] = 0.5
        var p = Parametrization(); p.vector.lrMultiplier = 2
        let cfg = OptimizerConfig(learningRate: 0.1, minLearningRate: 0, warmupSteps: 0, beta1: 0.9, beta2: 0.99,
                                  epsilon: 1e-8, weightDecay: 0.5, gradientClip: 0)
        let opt = AdamW(config: cfg, parameters: store, parametrization: p)
        var ref: [Double] = [1, -2, 0.5], m = [0.0, 0, 0], v = [0.0, 0, 0]
        let grads: [[Double]] = [[0.3, -0.1, 2], [0.2, 0.4, -1]]
        for (t, g) in grads.enumerated() {
            for i in 0..<3 { store.gradients[i] = Float(g[i]) }
            opt.update(store, lr: 0.1)
            for i in 0..<3 {
                m[i] = 0.9 * m[i] + 0.1 * g[i]; v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i]
                let mh = m[i] / (1 - pow(0.9, Double(t + 1))), vh = v[i] / (1 - pow(0.99, Double(t + 1)))
                let lr = i == 2 ? 0.2 : 0.1, wd = i == 2 ? 0.0 : 0.5
                ref[i] = ref[i] * (1 - lr * wd) - lr * mh / (vh.squareRoot() + 1e-8)
            }
        }
        for i in 0..<3 { #expect(abs(Double(store.values[i]) - ref[i]) < 1e-6, "parameter \(i)") }
    }

    @Test func clippingScalesToTheMaximumNorm() {
        let g = Buffer<Float>(count: 3000)
        for i in 0..<3000 { g[i] = 0.1 }
        let before = GradientClipping.clip(g, maxNorm: 1)
        #expect(abs(before - (3000 * 0.01).squareRoot()) < 1e-4)
        #expect(abs(GradientClipping.norm(g) - 1) < 1e-5)
        #expect(GradientClipping.clip(g, maxNorm: 10) < 10)  // below the threshold: unchanged
        #expect(abs(GradientClipping.norm(g) - 1) < 1e-5)
    }

    @Test func crc32KnownValue() {
        let bytes = Array("123456789".utf8)
        #expect(bytes.withUnsafeBytes { CRC32.checksum($0) } == 0xCBF4_3926)
        let long = (0..<1000).map { UInt8($0 % 251) }
        var split = CRC32()
        long.withUnsafeBytes { split.update(UnsafeRawBufferPointer(rebasing: $0[0..<333])); split.update(UnsafeRawBufferPointer(rebasing: $0[333...])) }
        #expect(split.value == long.withUnsafeBytes { CRC32.checksum($0) })
    }
}

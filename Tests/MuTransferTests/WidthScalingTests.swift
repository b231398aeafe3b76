import Testing
import ModelKit
@testable import MiniGPT
@testable import Training

/// µP's per-class rules (Tensor Programs V Table 8, as microsoft/mup implements them).
@Suite struct WidthScalingTests {
    let hyper = HyperParameters(learningRate: 4e-3, matrixLearningRate: 2e-3, minLearningRate: 4e-4, initStd: 0.02,
                                matrixInitStd: 0.03, inputMultiplier: 1.5, outputMultiplier: 2)
    func shape(_ w: Int) -> ModelArchitecture {
        ModelArchitecture(layers: 2, hidden: w, heads: 4, ffnHidden: 4 * w, vocab: 256, sequenceLength: 32, position: .rope)
    }

    @Test func mupScalesHiddenAndReadoutWithWidth() {
        let s = WidthScaling(kind: .mup, baseHidden: 64, hyper: hyper)
        let base = s.parametrization(for: shape(64)), wide = s.parametrization(for: shape(256))   // m = 4
        #expect(abs(wide.hidden.initStd - base.hidden.initStd / 2) < 1e-15)             // std ÷ √m
        #expect(abs(wide.hidden.lrMultiplier - base.hidden.lrMultiplier / 4) < 1e-15)   // Adam LR ÷ m
        #expect(abs(base.hidden.lrMultiplier - 0.5) < 1e-15)                             // matrix LR / LR
        #expect(wide.hidden.weightDecayMultiplier == 4)                                  // lr·wd constant
        #expect(abs(wide.outputMultiplier - base.outputMultiplier / 4) < 1e-15)          // readout ÷ m
        #expect(wide.embedding == base.embedding && wide.readout == base.readout && wide.vector == base.vector)
        #expect(wide.inputMultiplier == 1.5)
        #expect(wide.attentionScale == .inverse)
    }

    @Test func standardParametrizationKeepsEverything() {
        let s = WidthScaling(kind: .standard, baseHidden: 64, hyper: hyper)
        let a = s.parametrization(for: shape(64)), b = s.parametrization(for: shape(512))
        #expect(a == b)
        #expect(a.attentionScale == .inverseSqrt && a.hidden.initStd == 0.03 && a.outputMultiplier == 2)
    }

    @Test func zeroQueryZeroesOnlyTheQueryBlock() throws {
        var s = WidthScaling(kind: .mup, baseHidden: 32, hyper: hyper, zeroQuery: true)
        s.zeroReadout = true
        let p = s.parametrization(for: shape(32))
        let model = try GPT<Double>(architecture: shape(32), parametrization: p, maxBatch: 1, seed: 3)
        let qkv = model.parameters.value("layers.0.attention.qkv.weight")
        let a = 32 * 32   // query rows × inputs
        #expect((0..<a).allSatisfy { qkv[$0] == 0 })
        #expect((a..<(3 * a)).contains { qkv[$0] != 0 })
        #expect(p.readout.initStd == 0)
    }

    @Test func configKindSetsTheLRRangeAndRejectsOptimizerLR() throws {
        let text = """
        name: k
        model: {layers: 1, hidden: 32, heads: 2, ffn_hidden: 64, vocab: 256, seq_length: 16}
        parametrization: {kind: mup, base_hidden: 16, learning_rate: 1.0e-2, matrix_learning_rate: 5.0e-3, min_learning_rate: 1.0e-3}
        data: {dir: x, mixture: {a: 1}}
        optimizer: {warmup_steps: 1}
        training: {steps: 2, batch_sequences: 1, micro_batch: 1, eval_every: 1, checkpoint_every: 1, log_every: 1}
        """
        let c = try TrainConfigLoader.parse(text: text, path: "k.yaml")
        #expect(c.optimizer.learningRate == 1e-2 && c.optimizer.minLearningRate == 1e-3)
        #expect(abs(c.parametrization.hidden.lrMultiplier - 0.5 / 2) < 1e-15)   // (5e-3/1e-2) / m, m = 2
        let wider = try c.atWidth(64)
        #expect(wider.model.ffnHidden == 128 && wider.model.headDim == 32)
        #expect(abs(wider.parametrization.hidden.lrMultiplier - 0.5 / 4) < 1e-15)
        #expect(throws: (any Error).self) {
            try TrainConfigLoader.parse(text: text.replacingOccurrences(of: "{warmup_steps: 1}", with: "{warmup_steps: 1, lr: 0.1}"), path: "k.yaml")
        }
    }
}

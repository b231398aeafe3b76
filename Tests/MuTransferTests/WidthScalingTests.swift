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
        let wider = try c.atWidth(64)   // head_width: fixed (default): 16-wide heads, 4 of them
        #expect(wider.model.ffnHidden == 128 && wider.model.headDim == 16 && wider.model.heads == 4)
        #expect(abs(wider.parametrization.hidden.lrMultiplier - 0.5 / 4) < 1e-15)
        #expect(throws: (any Error).self) {
            try TrainConfigLoader.parse(text: text.replacingOccurrences(of: "{warmup_steps: 1}", with: "{warmup_steps: 1, lr: 0.1}"), path: "k.yaml")
        }
    }

    /// Widening follows `head_width`: `fixed` adds heads of the configured width (FLM-101B, Tele-FLM),
    /// `grows` keeps the head count; a width the rule cannot split is an error naming the rule.
    @Test func headWidthRuleDecidesHeadsOrHeadWidth() throws {
        let text = """
        name: h
        model: {layers: 1, hidden: 128, heads: 4, ffn_hidden: 512, vocab: 256, seq_length: 16, position: rope}
        parametrization: {kind: mup, base_hidden: 64, learning_rate: 1.0e-2, head_width: RULE}
        data: {dir: x, mixture: {a: 1}}
        optimizer: {warmup_steps: 1}
        training: {steps: 2, batch_sequences: 1, micro_batch: 1, eval_every: 1, checkpoint_every: 1, log_every: 1}
        """
        let fixed = try TrainConfigLoader.parse(text: text.replacingOccurrences(of: "RULE", with: "fixed"), path: "h.yaml")
        let f512 = try fixed.atWidth(512)
        #expect(f512.model.heads == 16 && f512.model.headDim == 32 && f512.model.ffnHidden == 2048)
        #expect(throws: (any Error).self) { try fixed.atWidth(80) }   // 80 is not a multiple of 32
        let grows = try TrainConfigLoader.parse(text: text.replacingOccurrences(of: "RULE", with: "grows"), path: "h.yaml")
        let g512 = try grows.atWidth(512)
        #expect(g512.model.heads == 4 && g512.model.headDim == 128)
        #expect(throws: (any Error).self) {
            try TrainConfigLoader.parse(text: text.replacingOccurrences(of: "RULE", with: "sideways"), path: "h.yaml")
        }
    }

    /// µP's attention scale is √d_base/d_head: equal to SP's 1/√d_head at the base shape, then 1/d_head-like
    /// as heads widen; with a fixed head width it is SP's scale at every width.
    @Test func muPAttentionScaleMatchesSPAtTheBaseShape() throws {
        func arch(_ w: Int, heads: Int) -> ModelArchitecture {
            ModelArchitecture(layers: 1, hidden: w, heads: heads, ffnHidden: 4 * w, vocab: 256, sequenceLength: 16, position: .rope)
        }
        let grows = WidthScaling(kind: .mup, baseHidden: 64, hyper: hyper, headWidth: .grows)
        let base = arch(64, heads: 4), wide = arch(512, heads: 4)            // d_head 16 → 128
        #expect(abs(grows.parametrization(for: base).attentionFactor(headDim: 16) - 1 / 4.0) < 1e-15)
        #expect(abs(grows.parametrization(for: wide).attentionFactor(headDim: 128) - 4.0 / 128) < 1e-15)
        let fixed = WidthScaling(kind: .mup, baseHidden: 64, hyper: hyper, headWidth: .fixed)
        let manyHeads = arch(512, heads: 32)                                   // d_head 16 at every width
        #expect(abs(fixed.parametrization(for: manyHeads).attentionFactor(headDim: 16) - 1 / 4.0) < 1e-15)
    }
}

import Testing
@testable import ModelKit

@Suite struct FlopCountTests {
    private func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

    /// For GPT-3 shapes the per-op model FLOPs equal Korthikanti et al. 2022 Eq. 7 per token:
    /// 72·l·h²·(1 + s/(6h) + V/(12·l·h)) with V the padded vocabulary the GEMMs use.
    @Test func perOpModelFlopsEqualKorthikantiEquation7() {
        let m = Shapes.gpt3
        let (l, h, s, v) = (96.0, 12288.0, 2048.0, Double(m.paddedVocab))
        let eq7 = 72 * l * h * h * (1 + s / (6 * h) + v / (12 * l * h))
        #expect(relative(TrainingFlopsPerToken(m, recompute: .none).model, eq7) < 1e-12)
    }

    /// With full recompute the per-op hardware FLOPs equal Narayanan et al. 2021 Eq. 3 per token.
    @Test func fullRecomputeEqualsNarayananEquation3() {
        let m = Shapes.gpt3
        let (l, h, s, v) = (96.0, 12288.0, 2048.0, Double(m.paddedVocab))
        let eq3 = 96 * l * h * h * (1 + s / (6 * h) + v / (16 * l * h))
        #expect(relative(TrainingFlopsPerToken(m, recompute: .full).hardware, eq3) < 1e-12)
    }

    /// Selective recompute repeats only the attention core's forward: 4·s·a FLOPs per token per layer.
    @Test func selectiveRecomputeAddsAttentionCoreForward() {
        let m = Shapes.flm101B
        let f = TrainingFlopsPerToken(m, recompute: .selective)
        #expect(f.hardware - f.model == 80 * 4 * 2048 * 10240)
    }

    @Test func swigluHasThreeFFNMatrices() {
        let f = ForwardFlopsPerToken(Shapes.teleFLM)
        #expect(f.ffn == 2 * 8192 * 21824 * 3)
    }

    /// FLM-101B §4: GPT-3's cost is 376.41 ± 53.77 zettaFLOPs (midpoint of the 72 and 96 coefficients).
    /// Tolerance 1% on both the midpoint and the half-width.
    @Test func gpt3CostIndexReproducesFLM101BTable() {
        let index = FlopFormulas.costIndex(Shapes.gpt3, tokens: 300e9)
        #expect(relative(index.midpoint / 1e21, 376.41) < 0.01)
        #expect(relative(index.halfWidth / 1e21, 53.77) < 0.01)
    }

    @Test func sixNDIsSixFlopsPerParameterPerToken() {
        #expect(FlopFormulas.sixND(parameters: 1_000, tokens: 2e9) == 12e12)
    }
}

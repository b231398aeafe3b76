import Testing
@testable import ModelKit

@Suite struct ParameterCountTests {
    /// Narayanan et al. 2021 Eq. 2: P = 12·l·h²·(1 + 13/(12h) + (V + s)/(12·l·h)). It omits the final
    /// LayerNorm (2h), which we count, so the two must differ by exactly 2h.
    @Test func gpt3MatchesNarayananEquation2() {
        let m = Shapes.gpt3
        let (l, h, v, s) = (96, 12288, 50257, 2048)
        let eq2 = 12 * l * h * h + 13 * l * h + (v + s) * h
        #expect(ParameterCount(m).total == eq2 + 2 * h)
    }

    /// Tele-FLM Table 2 reports 52,850M. Tolerance 0.2% (the acceptance figure).
    @Test func teleFLMWithinTwoTenthsOfAPercent() {
        let total = Double(ParameterCount(Shapes.teleFLM).total)
        #expect(abs(total - 52_850e6) / 52_850e6 < 0.002)
    }

    /// Tele-FLM µP proxy, Table 2: 283M. Tolerance 1%.
    @Test func teleFLMProxyWithinOnePercent() {
        let total = Double(ParameterCount(Shapes.teleFLMProxy).total)
        #expect(abs(total - 283e6) / 283e6 < 0.01)
    }

    /// FLM-101B: 101B, tied embeddings (GPT-2-style config). Tolerance 1%.
    @Test func flm101BWithinOnePercent() {
        let total = Double(ParameterCount(Shapes.flm101B).total)
        #expect(abs(total - 101e9) / 101e9 < 0.01)
    }

    @Test func componentsFollowTheArchitectureFlags() {
        var m = ModelArchitecture(layers: 2, hidden: 8, heads: 2, ffnHidden: 16, vocab: 10, sequenceLength: 4)
        var c = ParameterCount(m)
        #expect(c.attention == 4 * 64 + 4 * 8)       // 4 h² weights, 3a + h biases
        #expect(c.ffn == 2 * 8 * 16 + 16 + 8)
        #expect(c.norms == 4 * 8)                     // two LayerNorms with gain and bias
        #expect(c.positionEmbedding == 4 * 8)
        #expect(c.outputHead == 0)
        m.activation = .swiglu; m.norm = .rmsnorm; m.linearBiases = false
        m.tiedEmbeddings = false; m.position = .rope
        c = ParameterCount(m)
        #expect(c.ffn == 3 * 8 * 16)
        #expect(c.norms == 2 * 8)
        #expect(c.positionEmbedding == 0)
        #expect(c.outputHead == 10 * 8)
        #expect(c.total == 2 * (4 * 64 + 3 * 128 + 16) + 80 + 8 + 80)
    }
}

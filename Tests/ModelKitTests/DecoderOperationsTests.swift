import Testing
@testable import ModelKit

/// The one per-operation description: its FLOPs are the papers' closed forms, its shards add up to the model.
@Suite struct DecoderOperationsTests {
    let gpt3 = ModelArchitecture(layers: 96, hidden: 12288, heads: 96, ffnHidden: 49152, vocab: 50257,
                                 paddedVocab: 51200, sequenceLength: 2048)
    let swiglu = ModelArchitecture(layers: 4, hidden: 512, heads: 8, ffnHidden: 1376, vocab: 256, sequenceLength: 256,
                                   activation: .swiglu, norm: .rmsnorm, position: .rope, tiedEmbeddings: false, linearBiases: false)

    /// Forward FLOPs per token of a GPT-3 layer: 24h² + 4sh (Narayanan et al. 2021 Eq. 3, per layer, forward).
    @Test func gptLayerFlopsMatchTheClosedForm() {
        let h = 12288.0, s = 2048.0
        let perToken = DecoderOperations.layer(gpt3, tensorParallel: 1, sequences: 1).map(\.flops).reduce(0, +) / s
        #expect(abs(perToken - (24 * h * h + 4 * s * h)) / perToken < 1e-12)
        #expect(abs(ForwardFlopsPerToken(gpt3).perLayer - perToken) / perToken < 1e-12)
    }

    /// Tensor parallelism splits every operation t ways; b sequences multiply it b times.
    @Test func tensorParallelRanksShareTheWorkExactly() {
        for m in [gpt3, swiglu] {
            let one = DecoderOperations.layer(m, tensorParallel: 1, sequences: 1).map(\.flops).reduce(0, +)
            let split = DecoderOperations.layer(m, tensorParallel: 4, sequences: 3).map(\.flops).reduce(0, +)
            #expect(abs(split * 4 / 3 - one) / one < 1e-12)
        }
        #expect(abs(ForwardFlopsPerToken(swiglu).ffn - 2 * 512 * 1376 * 3) < 1e-9)
    }

    /// Summed over tp ranks (replicated parameters counted once) and pipeline stages, the shards are the model.
    @Test func shardsAddUpToTheParameterCount() {
        for (m, t, p) in [(gpt3, 8, 8), (swiglu, 2, 2), (swiglu, 1, 1)] {
            let shards = ParameterShards(m, tensorParallel: t)
            let counts = ParameterCount(m)
            let replicated = Double((m.linearBiases ? 2 * m.hidden : 0) + counts.norms)
            let layers = (shards.perLayer - replicated) * Double(t) + replicated
            #expect(abs(layers - Double(counts.perLayer)) < 1e-6)
            let outside = (0..<p).map { shards.outsideLayers(first: $0 == 0, last: $0 == p - 1, pipeline: p) }.reduce(0, +)
            let tiedCopy = m.tiedEmbeddings && p > 1 ? Double(counts.tokenEmbedding) / Double(t) : 0
            let expected = Double(counts.tokenEmbedding + counts.positionEmbedding + counts.finalNorm + counts.outputHead) / Double(t)
            // Embedding and head are split over tp; position embedding and final norm are not.
            let unsplit = Double(counts.positionEmbedding + counts.finalNorm) * (1 - 1 / Double(t))
            #expect(abs(outside - expected - unsplit - tiedCopy) < 1e-6)
        }
    }
}

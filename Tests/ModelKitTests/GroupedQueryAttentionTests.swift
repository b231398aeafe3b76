import Testing
import Foundation
@testable import ModelKit

/// Grouped-query and multi-query attention (`kv_heads`): parameters against published model sizes, FLOPs and
/// activations from first principles, the tensor-parallel constraint, and encodings that leave MHA unchanged.
@Suite struct GroupedQueryAttentionTests {
    /// Llama 2 70B (arXiv 2307.09288; HF config: 80 layers, 8192, 64 heads, 8 KV heads, FFN 28672, vocab 32000).
    let llama2_70B = ModelArchitecture(layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffnHidden: 28672, vocab: 32000,
                                       sequenceLength: 4096, activation: .swiglu, norm: .rmsnorm, position: .rope,
                                       tiedEmbeddings: false, linearBiases: false)
    /// Llama 3 8B (arXiv 2407.21783 Table 3; HF config: 32 layers, 4096, 32 heads, 8 KV heads, FFN 14336, vocab 128256).
    let llama3_8B = ModelArchitecture(layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffnHidden: 14336, vocab: 128256,
                                      sequenceLength: 8192, activation: .swiglu, norm: .rmsnorm, position: .rope,
                                      tiedEmbeddings: false, linearBiases: false)

    @Test func parameterCountsMatchThePublishedModels() {
        #expect(ParameterCount(llama2_70B).total == 68_976_648_192)
        #expect(ParameterCount(llama3_8B).total == 8_030_261_248)
    }

    /// QKV projects to a + 2·a_kv outputs: per token 2·h·(a + 2·a_kv) FLOPs.
    @Test func qkvFlopsShrinkWithTheKeyValueHeads() {
        let f = ForwardFlopsPerToken(llama3_8B)
        #expect(f.qkv == 2 * 4096 * (4096 + 2 * 1024))
        var mha = llama3_8B; mha.kvHeads = 32
        #expect(ForwardFlopsPerToken(mha).qkv == 2 * 4096 * 3 * 4096)
        // Attention scores and values do not change: every query head still attends over s keys.
        #expect(ForwardFlopsPerToken(mha).attentionCore == f.attentionCore)
    }

    /// K and V activations are a_kv wide: 2·e·s·b·(a − a_kv) fewer bytes per layer than MHA.
    @Test func keyValueActivationsShrink() {
        var mha = llama3_8B; mha.kvHeads = 32
        let layout = ParallelLayout(tensor: 1, pipeline: 1, data: 1)
        let gqa = ActivationMemory.perLayer(llama3_8B, layout: layout, assumptions: MemoryAssumptions()).workingSet
        let full = ActivationMemory.perLayer(mha, layout: layout, assumptions: MemoryAssumptions()).workingSet
        #expect(full - gqa == 2 * 2 * 8192 * (4096 - 1024))
    }

    @Test func tensorParallelismMustDivideTheKeyValueHeads() {
        let problems = ParallelLayout(tensor: 16, pipeline: 1, data: 1).problems(for: llama3_8B, globalBatch: 16)
        #expect(problems.map(\.description) == ["tp: expected a divisor of kv_heads (8), found 16"])
        #expect(ParallelLayout(tensor: 8, pipeline: 1, data: 1).problems(for: llama3_8B, globalBatch: 16).isEmpty)
        var bad = llama3_8B; bad.kvHeads = 5
        #expect(bad.problems().contains { $0.field == "kv_heads" })
    }

    /// Multi-head models encode exactly as before kv_heads existed (config fingerprints and checkpoints keep).
    @Test func multiHeadEncodingIsUnchanged() throws {
        var mha = llama3_8B; mha.kvHeads = 32
        let json = String(decoding: try JSONEncoder().encode(mha), as: UTF8.self)
        #expect(!json.contains("kvHeads"))
        #expect(try JSONDecoder().decode(ModelArchitecture.self, from: Data(json.utf8)) == mha)
        let gqa = try JSONEncoder().encode(llama3_8B)
        #expect(try JSONDecoder().decode(ModelArchitecture.self, from: gqa).kvHeads == 8)
    }
}

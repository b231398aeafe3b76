@testable import ModelKit

/// Published shapes used across the ModelKit tests.
enum Shapes {
    /// GPT-3 175B (Brown et al. 2020; FLM-101B §4 cost table input).
    static let gpt3 = ModelArchitecture(layers: 96, hidden: 12288, heads: 96, ffnHidden: 4 * 12288,
                                        vocab: 50257, sequenceLength: 2048)
    /// Tele-FLM 52B (arXiv 2404.16645 Table 2).
    static let teleFLM = ModelArchitecture(layers: 64, hidden: 8192, heads: 64, ffnHidden: 21824,
                                           vocab: 80000, sequenceLength: 4096, activation: .swiglu,
                                           norm: .rmsnorm, position: .rope, tiedEmbeddings: false,
                                           linearBiases: false)
    /// Tele-FLM µP proxy: same depth and vocab, width 512, 4 heads, FFN 1344 (Table 2: 283M).
    static var teleFLMProxy: ModelArchitecture {
        var m = teleFLM
        m.hidden = 512; m.heads = 4; m.headDim = 128; m.ffnHidden = 1344
        return m
    }
    /// FLM-101B final stage (arXiv 2309.03852 §2.3; HF config.json).
    static let flm101B = ModelArchitecture(layers: 80, hidden: 10240, heads: 80, ffnHidden: 40960,
                                           vocab: 100256, paddedVocab: 100352, sequenceLength: 2048,
                                           activation: .gelu, norm: .layernorm, position: .xpos)
}

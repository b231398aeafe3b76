/// Exact parameter count of a `ModelArchitecture`, by component.
///
/// Conventions: embedding and readout matrices use `paddedVocab` rows (what is stored); LayerNorm has a gain
/// and a bias, RMSNorm a gain; with `linearBiases`, every linear layer has a bias (GPT-3 style). A tied
/// readout shares the token embedding and adds nothing.
public struct ParameterCount: Codable, Sendable, Equatable {
    public var tokenEmbedding: Int
    public var positionEmbedding: Int
    /// Per decoder layer.
    public var attention: Int
    public var ffn: Int
    public var norms: Int
    public var finalNorm: Int
    public var outputHead: Int
    public var layers: Int

    public init(_ m: ModelArchitecture) {
        let h = m.hidden, a = m.attentionWidth, kv = m.keyValueWidth, f = m.ffnHidden
        let bias = m.linearBiases ? 1 : 0
        tokenEmbedding = m.paddedVocab * h
        positionEmbedding = m.position == .learned ? m.sequenceLength * h : 0
        // q: h → a; k, v: h → a_kv each (GQA; = a for multi-head); output projection a → h.
        attention = h * (a + 2 * kv) + a * h + bias * (a + 2 * kv + h)
        switch m.activation {
        case .gelu: ffn = 2 * h * f + bias * (f + h)
        case .swiglu: ffn = 3 * h * f + bias * (2 * f + h)
        }
        let normSize = m.norm == .layernorm ? 2 * h : h
        norms = 2 * normSize
        finalNorm = normSize
        outputHead = m.tiedEmbeddings ? 0 : m.paddedVocab * h
        layers = m.layers
    }

    public var perLayer: Int { attention + ffn + norms }
    public var allLayers: Int { layers * perLayer }
    public var embeddings: Int { tokenEmbedding + positionEmbedding + outputHead }
    public var total: Int { allLayers + tokenEmbedding + positionEmbedding + finalNorm + outputHead }
    /// Parameters outside the embedding and readout matrices (the "N" of many scaling-law papers).
    public var nonEmbedding: Int { allLayers + finalNorm }
}

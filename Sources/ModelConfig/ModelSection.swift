import ConfigFile
import ModelKit

/// Reads the `model:` section shared by scenario files and training configs into a `ModelArchitecture`,
/// reporting every bad field as `file:line: model.<field>: expected …`.
public enum ModelSection {
    /// - Parameters:
    ///   - previous: fields left out inherit from this model (a growth stage changes a few dimensions); with no
    ///     previous model every required field must be given.
    ///   - defaultVocab: vocabulary when neither given nor inherited (nil = required).
    ///   - defaultTied: `tied_embeddings` when neither given nor inherited.
    ///   - previousUnreadable: an earlier stage's model had errors (already reported), so fields left out here
    ///     inherit something unknown: they are not reported missing again, and no model is returned.
    public static func read(_ r: MappingReader, previous: ModelArchitecture? = nil, defaultVocab: Int? = nil,
                            defaultTied: Bool, previousUnreadable: Bool = false) -> ModelArchitecture? {
        func limit(_ key: String) -> (range: ClosedRange<Int>, what: String) { ModelArchitecture.limits[key]! }
        func int(_ key: String, _ inherited: Int?) -> Int? {
            if let p = inherited, !r.has(key) { _ = r.node(key); return p }
            if previousUnreadable, !r.has(key) { _ = r.node(key); return nil }
            return r.int(key, in: limit(key).range, limit(key).what)
        }
        func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ inherited: E?, default d: E) -> E where E.RawValue == String {
            r.optionalChoice(key, E.self) ?? inherited ?? d
        }
        func flag(_ key: String, _ inherited: Bool?, default d: Bool) -> Bool { r.optionalBool(key) ?? inherited ?? d }

        let layers = int("layers", previous?.layers)
        let hidden = int("hidden", previous?.hidden)
        let heads = int("heads", previous?.heads)
        // kv_heads: given, or inherited when heads is inherited too, else = heads (multi-head attention).
        let kvHeads = r.optionalInt("kv_heads", in: limit("kv_heads").range, limit("kv_heads").what)
            ?? (r.has("heads") ? nil : previous.map(\.kvHeads))
        // head_dim defaults to hidden / heads, also when growing (an explicit value is needed otherwise).
        let headDim = r.optionalInt("head_dim", in: limit("head_dim").range, limit("head_dim").what)
        let ffn = int("ffn_hidden", previous?.ffnHidden)
        let vocab: Int? = if let d = defaultVocab, previous == nil { r.int("vocab", in: limit("vocab").range, limit("vocab").what, default: d) } else { int("vocab", previous?.vocab) }
        let padded = r.optionalInt("padded_vocab", in: limit("padded_vocab").range, limit("padded_vocab").what) ?? (r.has("vocab") ? nil : previous?.paddedVocab)
        let seq = int("seq_length", previous?.sequenceLength)
        let activation = choice("activation", previous?.activation, default: Activation.gelu)
        let norm = choice("norm", previous?.norm, default: Norm.layernorm)
        let position = choice("position", previous?.position, default: PositionEncoding.learned)
        let tied = flag("tied_embeddings", previous?.tiedEmbeddings, default: defaultTied)
        let biases = flag("linear_biases", previous?.linearBiases, default: true)
        let dropout = flag("dropout", previous?.dropout, default: true)
        r.rejectUnknownKeys()
        guard let layers, let hidden, let heads, let ffn, let vocab, let seq else { return nil }
        if headDim == nil, heads > 0, hidden % heads != 0 {
            r.report("heads", "expected a divisor of hidden (\(hidden)) or an explicit head_dim, found \(heads)")
            return nil
        }
        var m = ModelArchitecture(layers: layers, hidden: hidden, heads: heads, kvHeads: kvHeads, headDim: headDim, ffnHidden: ffn,
                                  vocab: vocab, paddedVocab: padded, sequenceLength: seq, activation: activation,
                                  norm: norm, position: position, tiedEmbeddings: tied, linearBiases: biases)
        m.dropout = dropout
        let problems = m.problems()
        for p in problems { r.report(p.field, "expected \(p.expected)") }
        return problems.isEmpty ? m : nil
    }
}

/// Feed-forward activation. GELU uses two matrices (h→f→h); SwiGLU three (gate, up: h→f; down: f→h).
public enum Activation: String, Codable, Sendable, CaseIterable { case gelu, swiglu }

/// Normalisation layer. LayerNorm has a gain and a bias per channel; RMSNorm a gain only.
public enum Norm: String, Codable, Sendable, CaseIterable { case layernorm, rmsnorm }

/// Position encoding. Only `learned` has parameters (seq × hidden); RoPE and xPos rotate q and k.
public enum PositionEncoding: String, Codable, Sendable, CaseIterable { case learned, rope, xpos }

/// One description of a pre-norm GPT-style decoder, shared by the cluster simulator and the mini trainer.
public struct ModelArchitecture: Codable, Sendable, Equatable, Hashable {
    public var layers: Int
    public var hidden: Int
    public var heads: Int
    /// Per-head width; q, k and v each have `heads × headDim` outputs (usually = hidden).
    public var headDim: Int
    public var ffnHidden: Int
    /// Tokenizer vocabulary (what the paper reports).
    public var vocab: Int
    /// Rows of the embedding/readout matrices (vocab padded for tensor parallelism), ≥ vocab.
    public var paddedVocab: Int
    public var sequenceLength: Int
    public var activation: Activation
    public var norm: Norm
    public var position: PositionEncoding
    public var tiedEmbeddings: Bool
    public var linearBiases: Bool

    public init(layers: Int, hidden: Int, heads: Int, headDim: Int? = nil, ffnHidden: Int,
                vocab: Int, paddedVocab: Int? = nil, sequenceLength: Int,
                activation: Activation = .gelu, norm: Norm = .layernorm,
                position: PositionEncoding = .learned, tiedEmbeddings: Bool = true, linearBiases: Bool = true) {
        self.layers = layers
        self.hidden = hidden
        self.heads = heads
        self.headDim = headDim ?? (heads > 0 ? hidden / heads : 0)
        self.ffnHidden = ffnHidden
        self.vocab = vocab
        self.paddedVocab = paddedVocab ?? vocab
        self.sequenceLength = sequenceLength
        self.activation = activation
        self.norm = norm
        self.position = position
        self.tiedEmbeddings = tiedEmbeddings
        self.linearBiases = linearBiases
    }

    /// The largest dimensions a config may give, with what each counts. Generous beyond every published dense
    /// model (PaLM 540B: 118 layers, hidden 18,432, ffn 73,728, vocab 256K) and small enough that every product
    /// the tool forms of them — parameters, FLOPs per token, s² attention buffers — fits in a 64-bit integer.
    public static let limits: [String: (range: ClosedRange<Int>, what: String)] = [
        "layers": (1...2_048, "a number of layers"),
        "hidden": (1...131_072, "a hidden width"),
        "heads": (1...16_384, "a number of attention heads"),
        "head_dim": (1...16_384, "a head width"),
        "ffn_hidden": (1...1_048_576, "an FFN width"),
        "vocab": (1...4_194_304, "a vocabulary size"),
        "padded_vocab": (1...4_194_304, "a padded vocabulary size"),
        "seq_length": (1...4_194_304, "a sequence length in tokens"),
    ]

    /// Width of the concatenated attention heads (a·d_head).
    public var attentionWidth: Int { heads * headDim }

    /// Structural problems, each as (field, what was expected). Empty when the shape is usable.
    public func problems() -> [FieldProblem] {
        var out: [FieldProblem] = []
        func positive(_ field: String, _ value: Int) {
            if value <= 0 { out.append(FieldProblem(field: field, expected: "a positive integer, found \(value)")) }
        }
        positive("layers", layers)
        positive("hidden", hidden)
        positive("heads", heads)
        positive("head_dim", headDim)
        positive("ffn_hidden", ffnHidden)
        positive("vocab", vocab)
        positive("seq_length", sequenceLength)
        if paddedVocab < vocab {
            out.append(FieldProblem(field: "padded_vocab",
                                    expected: "at least vocab (\(vocab)), found \(paddedVocab)"))
        }
        if (position == .rope || position == .xpos) && headDim > 0 && headDim % 2 != 0 {
            out.append(FieldProblem(field: "head_dim",
                                    expected: "an even number for rotary positions, found \(headDim)"))
        }
        return out
    }
}

/// A field that failed validation and what was expected of it.
public struct FieldProblem: Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var expected: String
    public init(field: String, expected: String) { self.field = field; self.expected = expected }
    public var description: String { "\(field): expected \(expected)" }
}

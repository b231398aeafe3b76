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
    /// Key/value heads: `heads` for multi-head attention, fewer for grouped-query attention (GQA, Ainslie et al.
    /// 2023, arXiv 2305.13245), 1 for multi-query attention (Shazeer 2019). Each group of heads / kvHeads query
    /// heads shares one key and one value head. Stored only when it differs from `heads`, so a multi-head model
    /// stays multi-head when its heads change (growth, width scaling).
    public var kvHeads: Int {
        get { groupedKeyValueHeads ?? heads }
        set { groupedKeyValueHeads = newValue == heads ? nil : newValue }
    }
    private var groupedKeyValueHeads: Int?
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
    /// Dropout in the layers (GPT-3 style); off in Llama, Nemotron-4 and most models since. Decides whether dropout masks
    /// are stored for backward (Korthikanti et al.'s 1-byte masks).
    public var dropout: Bool = true

    public init(layers: Int, hidden: Int, heads: Int, kvHeads: Int? = nil, headDim: Int? = nil, ffnHidden: Int,
                vocab: Int, paddedVocab: Int? = nil, sequenceLength: Int,
                activation: Activation = .gelu, norm: Norm = .layernorm,
                position: PositionEncoding = .learned, tiedEmbeddings: Bool = true, linearBiases: Bool = true) {
        self.layers = layers
        self.hidden = hidden
        self.heads = heads
        self.groupedKeyValueHeads = kvHeads == heads ? nil : kvHeads
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

    enum CodingKeys: String, CodingKey {
        case layers, hidden, heads, kvHeads, headDim, ffnHidden, vocab, paddedVocab, sequenceLength, activation, norm, position
        case tiedEmbeddings, linearBiases, dropout
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        layers = try c.decode(Int.self, forKey: .layers)
        hidden = try c.decode(Int.self, forKey: .hidden)
        heads = try c.decode(Int.self, forKey: .heads)
        groupedKeyValueHeads = try c.decodeIfPresent(Int.self, forKey: .kvHeads)
        headDim = try c.decode(Int.self, forKey: .headDim)
        ffnHidden = try c.decode(Int.self, forKey: .ffnHidden)
        vocab = try c.decode(Int.self, forKey: .vocab)
        paddedVocab = try c.decode(Int.self, forKey: .paddedVocab)
        sequenceLength = try c.decode(Int.self, forKey: .sequenceLength)
        activation = try c.decode(Activation.self, forKey: .activation)
        norm = try c.decode(Norm.self, forKey: .norm)
        position = try c.decode(PositionEncoding.self, forKey: .position)
        tiedEmbeddings = try c.decode(Bool.self, forKey: .tiedEmbeddings)
        linearBiases = try c.decode(Bool.self, forKey: .linearBiases)
        dropout = try c.decodeIfPresent(Bool.self, forKey: .dropout) ?? true
    }

    /// `kvHeads` is written only when it differs from `heads`, so multi-head models encode (and fingerprint, and
    /// checkpoint) exactly as before GQA existed.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(layers, forKey: .layers)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(heads, forKey: .heads)
        try c.encodeIfPresent(groupedKeyValueHeads, forKey: .kvHeads)
        try c.encode(headDim, forKey: .headDim)
        try c.encode(ffnHidden, forKey: .ffnHidden)
        try c.encode(vocab, forKey: .vocab)
        try c.encode(paddedVocab, forKey: .paddedVocab)
        try c.encode(sequenceLength, forKey: .sequenceLength)
        try c.encode(activation, forKey: .activation)
        try c.encode(norm, forKey: .norm)
        try c.encode(position, forKey: .position)
        try c.encode(tiedEmbeddings, forKey: .tiedEmbeddings)
        try c.encode(linearBiases, forKey: .linearBiases)
        if !dropout { try c.encode(dropout, forKey: .dropout) }      // written only when off: old encodings unchanged
    }

    /// The largest dimensions a config may give, with what each counts. Generous beyond every published dense
    /// model (PaLM 540B: 118 layers, hidden 18,432, ffn 73,728, vocab 256K) and small enough that every product
    /// the tool forms of them — parameters, FLOPs per token, s² attention buffers — fits in a 64-bit integer.
    public static let limits: [String: (range: ClosedRange<Int>, what: String)] = [
        "layers": (1...2_048, "a number of layers"),
        "hidden": (1...131_072, "a hidden width"),
        "heads": (1...16_384, "a number of attention heads"),
        "kv_heads": (1...16_384, "a number of key/value heads"),
        "head_dim": (1...16_384, "a head width"),
        "ffn_hidden": (1...1_048_576, "an FFN width"),
        "vocab": (1...4_194_304, "a vocabulary size"),
        "padded_vocab": (1...4_194_304, "a padded vocabulary size"),
        "seq_length": (1...4_194_304, "a sequence length in tokens"),
    ]

    /// Width of the concatenated attention heads (a·d_head).
    public var attentionWidth: Int { heads * headDim }
    /// Width of the concatenated key (or value) heads (a_kv·d_head); = attentionWidth without GQA.
    public var keyValueWidth: Int { kvHeads * headDim }

    /// Structural problems, each as (field, what was expected). Empty when the shape is usable.
    public func problems() -> [FieldProblem] {
        var out: [FieldProblem] = []
        func positive(_ field: String, _ value: Int) {
            if value <= 0 { out.append(FieldProblem(field: field, expected: "a positive integer, found \(value)")) }
        }
        positive("layers", layers)
        positive("hidden", hidden)
        positive("heads", heads)
        positive("kv_heads", kvHeads)
        if kvHeads > 0, heads % kvHeads != 0 {
            out.append(FieldProblem(field: "kv_heads", expected: "a divisor of heads (\(heads)): each key/value head serves a group of query heads, found \(kvHeads)"))
        }
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
public struct FieldProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var expected: String
    public init(field: String, expected: String) { self.field = field; self.expected = expected }
    public var description: String { "\(field): expected \(expected)" }
}

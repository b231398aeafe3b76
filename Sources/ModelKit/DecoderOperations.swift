/// One matrix operation of a decoder's forward pass, as one GPU executes it — the single description that FLOP
/// counts, the cluster cost model and the mini trainer's kernel pricing all read (Calculon's lesson: each layer
/// carries its FLOPs once, so nothing re-derives them).
public struct Operation: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// C[m×n] = A[m×k]·B[k×n]: 2·m·n·k FLOPs.
        case gemm(m: Double, n: Double, k: Double)
        /// QKᵀ and ×V over `items` (sequence, head) pairs, each 2·2·s²·d_head FLOPs on the full s×s square
        /// (what Megatron-LM's kernels compute; Narayanan et al. 2021 and Korthikanti et al. 2022 App. A count it).
        case attentionCore(items: Double, flopsPerItem: Double)
    }
    public var name: String
    public var kind: Kind

    public var flops: Double {
        switch kind {
        case let .gemm(m, n, k): 2 * m * n * k
        case let .attentionCore(items, perItem): items * perItem
        }
    }
}

/// The forward matrix work of a GPT-style decoder, split the way Megatron-LM's tensor parallelism splits it
/// (column-parallel QKV and FFN-in, row-parallel output projection and FFN-out, heads divided among ranks,
/// vocabulary-parallel logits). Backward is 2× each operation (input and weight gradients).
public enum DecoderOperations {
    /// One layer on one of `t` tensor-parallel ranks, for `sequences` sequences of the model's length.
    /// With context parallelism each of the `cp` ranks holds s / cp tokens of every sequence: its GEMMs see s / cp rows,
    /// and its attention core computes its queries against all s keys, 1/cp of the square (Megatron-LM's CP balances
    /// the causal work by giving each rank two of 2·cp chunks).
    public static func layer(_ m: ModelArchitecture, tensorParallel t: Int, contextParallel cp: Int = 1,
                             sequences b: Double) -> [Operation] {
        let td = Double(t), s = Double(m.sequenceLength), rows = b * s / Double(cp)
        let h = Double(m.hidden), attention = Double(m.attentionWidth), f = Double(m.ffnHidden)
        let keyValue = Double(m.keyValueWidth)
        let ffnIn = m.activation == .swiglu ? 2 * f : f          // SwiGLU: gate and up projections
        return [
            // Q for every head, K and V for each key/value head (GQA shares them over groups of query heads).
            Operation(name: "qkv", kind: .gemm(m: rows, n: (attention + 2 * keyValue) / td, k: h)),
            Operation(name: "attention core", kind: .attentionCore(items: b * Double(m.heads) / td,
                                                                    flopsPerItem: 2 * 2 * s * s * Double(m.headDim) / Double(cp))),
            Operation(name: "output projection", kind: .gemm(m: rows, n: h, k: attention / td)),
            Operation(name: "ffn in", kind: .gemm(m: rows, n: ffnIn / td, k: h)),
            Operation(name: "ffn out", kind: .gemm(m: rows, n: h, k: f / td)),
        ]
    }

    /// The logits GEMM after the last layer (vocabulary-parallel over `t` ranks).
    public static func logits(_ m: ModelArchitecture, tensorParallel t: Int, contextParallel cp: Int = 1,
                              sequences b: Double) -> Operation {
        Operation(name: "logits", kind: .gemm(m: b * Double(m.sequenceLength) / Double(cp), n: Double(m.paddedVocab) / Double(t),
                                              k: Double(m.hidden)))
    }
}

/// How parameters split over tensor and pipeline ranks (Megatron-LM): row-parallel biases (attention output, FFN
/// down) and norms are replicated across tp, everything else in a layer is split tp ways; the vocabulary-parallel
/// embedding sits on the first pipeline stage, the final norm and the output head on the last (a tied head keeps
/// its own copy there when pp > 1).
public struct ParameterShards: Sendable, Equatable {
    /// Parameters of one layer on one tensor-parallel rank.
    public var perLayer: Double
    /// One rank's share of the embedding (and of an untied head).
    public var embedding: Double
    public var positionEmbedding: Double
    public var finalNorm: Double
    public var tiedEmbeddings: Bool

    public init(_ m: ModelArchitecture, tensorParallel t: Int) {
        let counts = ParameterCount(m)
        let replicated = Double((m.linearBiases ? 2 * m.hidden : 0) + counts.norms)
        perLayer = (Double(counts.perLayer) - replicated) / Double(t) + replicated
        embedding = Double(m.paddedVocab) * Double(m.hidden) / Double(t)
        positionEmbedding = Double(counts.positionEmbedding)
        finalNorm = Double(counts.finalNorm)
        tiedEmbeddings = m.tiedEmbeddings
    }

    /// Parameters outside the layers on a pipeline rank that holds the first and/or last stage of `pipeline`.
    public func outsideLayers(first: Bool, last: Bool, pipeline p: Int) -> Double {
        var x = 0.0
        if first { x += embedding + positionEmbedding }
        if last { x += finalNorm + ((!tiedEmbeddings || p > 1) ? embedding : 0) }
        return x
    }
}

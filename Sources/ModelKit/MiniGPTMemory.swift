/// The mini trainer's resident memory, counted before anything is allocated (issue 18: a config whose buffers
/// exceed the machine's memory is refused by name instead of aborting in the allocator).
///
/// MiniGPT allocates every buffer once, for `microBatch` sequences (`GPT.swift`): parameters and their gradients,
/// AdamW's two moments, per-layer activations kept for the backward pass, each layer's softmax probabilities
/// (micro-batch × heads × s², the buffer that grows fastest), and the readout's probabilities over the padded
/// vocabulary. Counts are in Double, so no product of a config's fields can overflow here.
public enum MiniGPTMemory {
    public struct Buffer: Sendable, Equatable, Codable {
        public var name: String
        /// The config field that sizes it most directly (named in the error).
        public var field: String
        public var bytes: Double
    }

    public static func buffers(_ m: ModelArchitecture, microBatch: Int) -> [Buffer] {
        let e = MiniGPTKernels.elementBytes
        let rows = Double(microBatch) * Double(m.sequenceLength)
        let h = Double(m.hidden), a = Double(m.attentionWidth), f = Double(m.ffnHidden), l = Double(m.layers)
        let p = Double(ParameterCount(m).total)
        let ffnWidth = m.activation == .swiglu ? 5 * f : 3 * f
        let s = Double(m.sequenceLength)
        let heads = Double(microBatch) * Double(m.heads)
        return [
            Buffer(name: "parameters and gradients", field: "model.hidden", bytes: 2 * p * e),
            Buffer(name: "AdamW moments", field: "model.hidden", bytes: 2 * p * e),
            // residual, norms, block inputs and outputs (h each), q|k|v and context (a each), FFN pre/post activations.
            Buffer(name: "layer activations", field: "model.layers",
                   bytes: l * rows * (8 * h + 8 * a + ffnWidth) * e),
            Buffer(name: "attention probabilities (micro_batch × heads × seq_length²)", field: "model.seq_length",
                   bytes: l * heads * s * (s + Double(MiniGPTKernels.attentionBlock)) * e),
            Buffer(name: "readout probabilities (micro_batch × seq_length × padded vocab)", field: "model.vocab",
                   bytes: rows * Double(m.paddedVocab) * e + 4 * rows * h * e),
        ]
    }

    public static func totalBytes(_ m: ModelArchitecture, microBatch: Int) -> Double {
        buffers(m, microBatch: microBatch).map(\.bytes).reduce(0, +)
    }
}

import ModelKit

/// Problems that make a model impossible to build.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A pre-norm GPT decoder whose shape is a `ModelArchitecture` and whose scaling is a `Parametrization`:
/// embedding (× α_in) → blocks → final norm → readout (× α_out) → softmax cross-entropy.
///
/// All buffers (parameters, gradients, activations, scratch) are allocated once for `maxBatch` sequences; the
/// training step allocates nothing. A grown model is a new `GPT` at the new shape whose parameters are filled
/// from the old one by the `Growth` module (`ParameterStore.copyLeadingBlock` per tensor, under MSG masks).
public final class GPT<Scalar: GPTScalar>: @unchecked Sendable {
    public let architecture: ModelArchitecture
    public let parametrization: Parametrization
    public let maxBatch: Int
    public let parameters: ParameterStore<Scalar>

    let embedding: Embedding<Scalar>
    let blocks: [DecoderBlock<Scalar>]
    let finalNorm: Normalization<Scalar>
    let readout: Readout<Scalar>
    let scratch: BackwardScratch<Scalar>
    let inputs: UnsafeMutablePointer<Int32>
    let targets: UnsafeMutablePointer<Int32>
    /// Residual stream [rows × d], final-norm output, and the residual gradient.
    let residual: Buffer<Scalar>
    let normalized: Buffer<Scalar>
    let residualGrad: Buffer<Scalar>
    private var lastBatch = 0
    /// The activation probe's context while it is on; nil on the training path.
    private var probeContext: ProbeContext<Scalar>?

    /// The layout of every parameter tensor, in storage order.
    public static func layout(_ m: ModelArchitecture, _ p: Parametrization)
        -> [TensorLayout] {
        let residualScale = p.scaleResidualInit ? 1 / (2 * Double(m.layers)).squareRoot() : 1
        var out = Embedding<Scalar>.layout(vocabRows: m.paddedVocab, width: m.hidden, sequenceLength: m.sequenceLength,
                                           learnedPositions: m.position == .learned)
        for l in 0..<m.layers { out += DecoderBlock<Scalar>.layout(index: l, architecture: m, residualScale: residualScale) }
        out += Normalization<Scalar>.layout("final_norm", kind: m.norm, width: m.hidden)
        out += Readout<Scalar>.layout(vocabRows: m.paddedVocab, width: m.hidden, tied: m.tiedEmbeddings)
        return out
    }

    /// Builds the model and initialises its parameters from `seed`.
    public init(architecture m: ModelArchitecture, parametrization p: Parametrization = Parametrization(),
                maxBatch: Int, seed: UInt64) throws {
        let problems = m.problems()
        if !problems.isEmpty {
            throw ModelError("invalid model shape: " + problems.map(\.description).joined(separator: "; "))
        }
        guard maxBatch > 0 else { throw ModelError("batch must be positive, found \(maxBatch)") }
        architecture = m
        parametrization = p
        self.maxBatch = maxBatch
        let rows = maxBatch * m.sequenceLength
        parameters = ParameterStore(layout: Self.layout(m, p))
        parameters.initialize(parametrization: p, seed: seed)
        embedding = Embedding(store: parameters, width: m.hidden, sequenceLength: m.sequenceLength,
                              learnedPositions: m.position == .learned, multiplier: p.inputMultiplier)
        let scale = p.attentionFactor(headDim: m.headDim)
        let store = parameters
        blocks = (0..<m.layers).map {
            DecoderBlock(store: store, index: $0, architecture: m, attentionScale: scale, maxBatch: maxBatch)
        }
        finalNorm = Normalization(store: parameters, name: "final_norm", kind: m.norm, width: m.hidden, maxRows: rows)
        readout = Readout(store: parameters, width: m.hidden, vocab: m.vocab, paddedVocab: m.paddedVocab,
                          tied: m.tiedEmbeddings, multiplier: p.outputMultiplier, maxRows: rows)
        scratch = BackwardScratch(architecture: m, rows: rows)
        inputs = .allocate(capacity: rows)
        inputs.initialize(repeating: 0, count: rows)
        targets = .allocate(capacity: rows)
        targets.initialize(repeating: 0, count: rows)
        residual = Buffer(count: rows * m.hidden)
        normalized = Buffer(count: rows * m.hidden)
        residualGrad = Buffer(count: rows * m.hidden)
    }

    deinit {
        inputs.deallocate()
        targets.deallocate()
    }

    /// Tokens per window: sequence length + 1 (inputs are the first T, targets the last T).
    public var windowLength: Int { architecture.sequenceLength + 1 }

    /// Fraction of the counted s×s attention-core FLOPs that the block-causal kernels execute.
    public var executedAttentionFraction: Double { blocks.first?.attention.core.executedFraction ?? 1 }

    /// Fraction of ModelKit's counted FLOPs (full s×s attention) that this decoder executes at shape `m`: the
    /// block-causal attention core skips fully masked blocks; everything else runs as counted.
    public static func executedFlopFraction(_ m: ModelArchitecture) -> Double {
        let f = ForwardFlopsPerToken(m)
        let t = m.sequenceLength, attention = CausalAttentionCore<Scalar>.executedFraction(
            sequenceLength: t, block: min(CausalAttentionCore<Scalar>.defaultBlock, t))
        return (f.total - Double(f.layers) * f.attentionCore * (1 - attention)) / f.total
    }

    /// Forward pass over `batch` windows of T + 1 token ids (row-major). Keeps the activations for
    /// `backward`. Returns the sum of the batch·T next-token losses in nats.
    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func forward(windows: UnsafePointer<Int32>, batch: Int) -> Double {
        precondition(batch > 0 && batch <= maxBatch, "batch \(batch) outside 1...\(maxBatch)")
        let t = architecture.sequenceLength, rows = batch * t, vocab = Int32(architecture.vocab)
        for b in 0..<batch {
            for i in 0..<t {
                let input = windows[b * (t + 1) + i], target = windows[b * (t + 1) + i + 1]
                precondition(input >= 0 && input < vocab && target >= 0 && target < vocab, "token id outside the vocabulary")
                inputs[b * t + i] = input
                targets[b * t + i] = target
            }
        }
        embedding.forward(inputs, rows: rows, into: residual.pointer)
        if let probeContext {
            probeContext.record.embeddings = ActivationProbe.meanAbs(residual.pointer, count: rows * architecture.hidden)
            probeContext.record.forwardPasses += 1
        }
        for block in blocks { block.forward(residual.pointer, batch: batch, rows: rows) }
        finalNorm.forward(residual.pointer, rows: rows, into: normalized.pointer)
        lastBatch = batch
        return readout.forward(normalized.pointer, targets: targets, rows: rows)
    }

    /// The activation probe, when it is on: mean |x| of each `ActivationKind` in the last forward pass.
    public var activationProbe: ActivationProbe? { probeContext?.record }

    /// The masks of the growth in progress (nil: a plain model).
    public private(set) var growthMask: GrowthMask?

    /// Puts new structure behind MSG's masks at value c (`GrowthMask`), or removes every mask (nil) once the
    /// ramp has reached c = 1. Costs nothing on the hot path when nil.
    public func setGrowthMask(_ mask: GrowthMask?) {
        growthMask = mask
        let c = mask.map { Scalar($0.value) }
        let hidden = mask?.newHiddenFrom.flatMap { from in c.map { (from: from, value: $0) } }
        let rows = maxBatch * architecture.sequenceLength
        for block in blocks {
            block.norm1.mask = hidden
            block.norm2.mask = hidden
            block.attention.mask = mask?.newHeadsFrom.flatMap { from in c.map { (from: from, value: $0) } }
            block.feedForward.mask = mask?.newFFNFrom.flatMap { from in c.map { (from: from, value: $0) } }
            block.setDepthMask(mask?.newLayers.contains(block.index) == true ? c : nil, maxRows: rows)
        }
        finalNorm.mask = hidden
    }

    /// Turns the activation probe on (off by default) and returns its record, which every later forward pass
    /// overwrites. The model's numbers are the same with the probe on or off.
    @discardableResult
    public func enableActivationProbe() -> ActivationProbe {
        if let probeContext { return probeContext.record }
        let context = ProbeContext<Scalar>(record: ActivationProbe(layers: architecture.layers),
                                           rows: maxBatch * architecture.sequenceLength, width: architecture.hidden)
        probeContext = context
        for block in blocks {
            block.probe = context
            block.attention.core.recordLogits(true)
        }
        readout.probe = context.record
        return context.record
    }

    /// Turns the activation probe off and frees its buffers.
    public func disableActivationProbe() {
        probeContext = nil
        for block in blocks {
            block.probe = nil
            block.attention.core.recordLogits(false)
        }
        readout.probe = nil
    }

    /// Accumulates ∂(lossWeight · Σ token losses)/∂θ of the last forward pass into `parameters.gradients`.
    /// Use lossWeight = 1/(tokens in the optimizer step) for a mean loss over accumulated micro-batches.
    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func backward(lossWeight: Double) {
        let batch = lastBatch
        precondition(batch > 0, "backward called before forward")
        let rows = batch * architecture.sequenceLength
        readout.backward(normalized.pointer, targets: targets, rows: rows, weight: Scalar(lossWeight),
                         dh: scratch.hidden.pointer)
        finalNorm.backward(scratch.hidden.pointer, rows: rows, dx: residualGrad.pointer, accumulate: false)
        for block in blocks.reversed() {
            block.backward(residualGrad.pointer, batch: batch, rows: rows, workspace: scratch)
        }
        embedding.backward(inputs, rows: rows, dx: residualGrad.pointer)
        lastBatch = 0
    }

    /// Convenience for tests and evaluation: the mean next-token loss (nats) of `windows`.
    public func meanLoss(windows: [Int32], batch: Int) -> Double {
        precondition(windows.count == batch * windowLength)
        let total = windows.withUnsafeBufferPointer { forward(windows: $0.baseAddress!, batch: batch) }
        lastBatch = 0
        return total / Double(batch * architecture.sequenceLength)
    }

    /// Per-token losses (nats) of the last forward pass, [batch·T].
    public func lastTokenLosses(count: Int) -> [Scalar] { Array(UnsafeBufferPointer(start: readout.tokenLoss.pointer, count: count)) }
}

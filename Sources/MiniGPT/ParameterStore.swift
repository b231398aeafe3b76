import SeededRandom

/// How a tensor starts: truncated normal with its role's σ (times `scale`), ones (norm gains) or zeros (biases).
public enum TensorInit: Codable, Sendable, Equatable {
    case normal(scale: Double)
    case ones
    case zeros
}

/// How one parameter tensor is declared by its layer: name, role, shape and initial values. `rowBlocks` > 1
/// marks a fused tensor whose rows are that many equal blocks (q | k | v of the attention input, gate | up of
/// SwiGLU), so that growth copies each block into the leading rows of its widened counterpart.
public struct TensorLayout: Sendable, Equatable {
    public var name: String
    public var role: ParameterRole
    public var shape: [Int]
    public var initializer: TensorInit
    public var rowBlocks: Int

    public init(_ name: String, _ role: ParameterRole, _ shape: [Int], _ initializer: TensorInit, rowBlocks: Int = 1) {
        self.name = name; self.role = role; self.shape = shape; self.initializer = initializer; self.rowBlocks = rowBlocks
    }
}

/// One named parameter tensor inside the store's contiguous buffer.
public struct TensorSpec: Codable, Sendable, Equatable {
    public var name: String
    public var role: ParameterRole
    /// Row-major shape; matrices are [out, in] (PyTorch's nn.Linear layout), vectors [n].
    public var shape: [Int]
    public var initializer: TensorInit
    /// Equal fused blocks along the first dimension (see `TensorLayout.rowBlocks`).
    public var rowBlocks: Int = 1
    public var offset: Int
    public var count: Int { shape.reduce(1, *) }
    public var range: Range<Int> { offset..<(offset + count) }
    /// Rows of one fused block.
    public var blockRows: Int { shape[0] / rowBlocks }
    public var columns: Int { shape.count == 2 ? shape[1] : 1 }
}

/// All parameters of a model in one contiguous buffer, with a same-shaped gradient buffer, and a table of
/// named tensors with their roles. One buffer makes the optimizer, clipping and checkpoints simple loops; the
/// table lets a grown model (issue 7) copy tensors by name into a store of another shape.
public final class ParameterStore<Scalar: GPTScalar>: @unchecked Sendable {
    public let tensors: [TensorSpec]
    public let values: Buffer<Scalar>
    public let gradients: Buffer<Scalar>
    private let index: [String: Int]

    public var count: Int { values.count }

    /// Lays out tensors in declaration order. Names must be unique.
    public init(layout: [TensorLayout]) {
        var specs: [TensorSpec] = []
        var offset = 0
        var index: [String: Int] = [:]
        for t in layout {
            precondition(index[t.name] == nil, "duplicate parameter tensor \(t.name)")
            precondition(t.shape[0] % t.rowBlocks == 0, "\(t.name): \(t.shape[0]) rows do not split into \(t.rowBlocks) blocks")
            index[t.name] = specs.count
            let spec = TensorSpec(name: t.name, role: t.role, shape: t.shape, initializer: t.initializer,
                                  rowBlocks: t.rowBlocks, offset: offset)
            specs.append(spec)
            offset += spec.count
        }
        tensors = specs
        self.index = index
        values = Buffer(count: offset)
        gradients = Buffer(count: offset)
    }

    public func spec(_ name: String) -> TensorSpec? { index[name].map { tensors[$0] } }

    /// Pointer to a tensor's values (crashes on an unknown name: layer construction is static).
    public func value(_ name: String) -> UnsafeMutablePointer<Scalar> {
        guard let i = index[name] else { preconditionFailure("no parameter tensor \(name)") }
        return values.pointer + tensors[i].offset
    }

    public func gradient(_ name: String) -> UnsafeMutablePointer<Scalar> {
        guard let i = index[name] else { preconditionFailure("no parameter tensor \(name)") }
        return gradients.pointer + tensors[i].offset
    }

    /// Initialises every tensor from one seeded stream, in layout order (deterministic for a seed and shape).
    public func initialize(parametrization: Parametrization, seed: UInt64) {
        var rng = Xoshiro256(seed: seed, stream: "init")
        for t in tensors {
            let p = values.pointer + t.offset
            switch t.initializer {
            case .ones: p.update(repeating: 1, count: t.count)
            case .zeros: p.update(repeating: 0, count: t.count)
            case .normal(let scale):
                let std = parametrization.settings(t.role).initStd * scale
                if std == 0 { p.update(repeating: 0, count: t.count); continue }
                for i in 0..<t.count { p[i] = Scalar(rng.nextTruncatedNormal(std: std)) }
            }
            // The query block is the first third of the rows of a fused [3a, d] qkv weight.
            if parametrization.zeroQuery && t.name.hasSuffix(".attention.qkv.weight") && t.shape.count == 2 {
                p.update(repeating: 0, count: t.shape[0] / 3 * t.shape[1])
            }
        }
    }

    public func zeroGradients() { gradients.zero() }

    /// Copies a tensor of a smaller model into the leading block of a tensor of this one: each fused row block
    /// (q | k | v, gate | up) into the leading rows of its counterpart and the leading columns, every value
    /// multiplied by `scale`; the rest of `destination` is left as it is. The basic operation of growth: the
    /// same call moves parameters (scale = the operator's rescale) and Adam moments (its −1st and −2nd power).
    public static func copyLeadingBlock<S: GPTScalar>(from source: UnsafePointer<S>, _ old: TensorSpec,
                                                      to destination: UnsafeMutablePointer<Scalar>, _ new: TensorSpec,
                                                      scale: Double = 1) {
        precondition(old.shape.count == new.shape.count && old.rowBlocks == new.rowBlocks,
                     "\(old.name) → \(new.name): shapes \(old.shape) and \(new.shape) do not correspond")
        precondition(zip(old.shape, new.shape).allSatisfy { $0 <= $1 }, "\(old.name): cannot shrink \(old.shape) to \(new.shape)")
        let oldRows = old.blockRows, newRows = new.blockRows, oldCols = old.columns, newCols = new.columns
        for block in 0..<new.rowBlocks {
            for r in 0..<oldRows {
                let src = source + (block * oldRows + r) * oldCols, dst = destination + (block * newRows + r) * newCols
                if scale == 1 {
                    for c in 0..<oldCols { dst[c] = Scalar(src[c]) }
                } else {
                    for c in 0..<oldCols { dst[c] = Scalar(Double(src[c]) * scale) }
                }
            }
        }
    }
}

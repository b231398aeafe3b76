import SeededRandom

/// How a tensor starts: truncated normal with its role's σ (times `scale`), ones (norm gains) or zeros (biases).
public enum TensorInit: Codable, Sendable, Equatable {
    case normal(scale: Double)
    case ones
    case zeros
}

/// One named parameter tensor inside the store's contiguous buffer.
public struct TensorSpec: Codable, Sendable, Equatable {
    public var name: String
    public var role: ParameterRole
    /// Row-major shape; matrices are [out, in] (PyTorch's nn.Linear layout), vectors [n].
    public var shape: [Int]
    public var initializer: TensorInit
    public var offset: Int
    public var count: Int { shape.reduce(1, *) }
    public var range: Range<Int> { offset..<(offset + count) }
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
    public init(layout: [(name: String, role: ParameterRole, shape: [Int], initializer: TensorInit)]) {
        var specs: [TensorSpec] = []
        var offset = 0
        var index: [String: Int] = [:]
        for t in layout {
            precondition(index[t.name] == nil, "duplicate parameter tensor \(t.name)")
            index[t.name] = specs.count
            let spec = TensorSpec(name: t.name, role: t.role, shape: t.shape, initializer: t.initializer, offset: offset)
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

    /// Copies every tensor with the same name from `other`, over the overlapping leading block of each
    /// dimension (the rest keeps its initial values). The basic operation of function-preserving growth
    /// operators, which then adjust the copied blocks. Returns the names copied.
    @discardableResult
    public func copyOverlapping<S: GPTScalar>(from other: ParameterStore<S>) -> [String] {
        var copied: [String] = []
        for t in tensors {
            guard let o = other.spec(t.name), o.shape.count == t.shape.count else { continue }
            let src = other.values.pointer + o.offset, dst = values.pointer + t.offset
            if t.shape.count == 1 {
                for i in 0..<min(t.shape[0], o.shape[0]) { dst[i] = Scalar(src[i]) }
            } else if t.shape.count == 2 {
                for r in 0..<min(t.shape[0], o.shape[0]) {
                    for c in 0..<min(t.shape[1], o.shape[1]) { dst[r * t.shape[1] + c] = Scalar(src[r * o.shape[1] + c]) }
                }
            } else { continue }
            copied.append(t.name)
        }
        return copied
    }
}

/// A fixed-size, zero-initialised, 64-byte-aligned array that the hot path reads and writes through raw
/// pointers. Allocated once per model (parameters, gradients, activations); never resized.
public final class Buffer<Scalar: GPTScalar>: @unchecked Sendable {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Scalar>

    public init(count: Int) {
        self.count = count
        let bytes = max(1, count) * MemoryLayout<Scalar>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)  // all-zero bits are 0.0
        pointer = raw.bindMemory(to: Scalar.self, capacity: max(1, count))
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    public subscript(i: Int) -> Scalar {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    public func zero() { pointer.update(repeating: 0, count: count) }

    public var array: [Scalar] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

/// A raw pointer that may cross into the worker closures of `Parallel` (each worker touches disjoint ranges).
@usableFromInline
struct SharedPointer<T>: @unchecked Sendable {
    @usableFromInline let p: UnsafeMutablePointer<T>
    @usableFromInline init(_ p: UnsafeMutablePointer<T>) { self.p = p }
}

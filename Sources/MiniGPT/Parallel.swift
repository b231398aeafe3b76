import Dispatch
import LinearAlgebra

/// Work splitting over the machine's cores for the parts of a step that are not one big GEMM (attention per
/// (sequence, head), row-wise norms and elementwise kernels). Items are split into fixed contiguous chunks, so
/// each item is computed by the same arithmetic whatever thread runs it: results do not depend on scheduling.
public enum Parallel {
    /// Worker threads used by `forEach` (set from the run's `threads`).
    nonisolated(unsafe) public static var threads = 1

    /// Calls `body(range)` on `threads` contiguous chunks of 0..<count, concurrently.
    public static func chunks(_ count: Int, minimumPerChunk: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
        let workers = max(1, min(threads, count / max(1, minimumPerChunk)))
        if workers == 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            body((w * count / workers)..<((w + 1) * count / workers))
        }
    }

    /// Runs `body` with OpenBLAS on one thread per worker, for many small independent GEMMs spread over our
    /// own workers (e.g. attention per (sequence, head)); restores the BLAS thread count afterwards.
    public static func withSingleThreadedBLAS(_ body: () -> Void) {
        let saved = BLASThreads.count
        if threads > 1 && saved != 1 { BLASThreads.set(1) }
        body()
        if threads > 1 && saved != 1 { BLASThreads.set(saved) }
    }
}

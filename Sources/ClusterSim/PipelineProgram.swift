import ModelKit

/// One step of a pipeline rank's program: the forward or backward pass of one micro-batch through one of
/// the rank's model chunks.
public struct PipelineOp: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var backward: Bool
    public var microBatch: Int
    public var chunk: Int
    public var description: String { "\(backward ? "B" : "F")\(microBatch).\(chunk)" }
}

/// The order in which a pipeline rank runs its forward and backward passes (Narayanan et al. 2021 §2.2):
/// GPipe (all forwards, then all backwards), 1F1B (p − i − 1 warm-up forwards, then alternate), and
/// Megatron-LM's interleaved 1F1B over v model chunks (warm-up 2(p − i − 1) + (v − 1)p).
public enum PipelineProgram {
    public static func ops(rank i: Int, ranks p: Int, microBatches m: Int, chunks v: Int,
                           schedule: PipelineSchedule) -> [PipelineOp] {
        switch schedule {
        case .gpipe:
            return (0..<m).map { PipelineOp(backward: false, microBatch: $0, chunk: 0) }
                + (0..<m).reversed().map { PipelineOp(backward: true, microBatch: $0, chunk: 0) }
        case .oneFOneB:
            return interleave(total: m, warmup: min(p - i - 1, m),
                              forward: { PipelineOp(backward: false, microBatch: $0, chunk: 0) },
                              backward: { PipelineOp(backward: true, microBatch: $0, chunk: 0) })
        case .interleaved:
            // Virtual micro-batch k walks groups of p micro-batches through chunk 0, 1, …, v − 1.
            let group = p * v
            func microBatch(_ k: Int) -> Int { (k / group) * p + k % p }
            func chunk(_ k: Int, backward: Bool) -> Int {
                let c = (k % group) / p
                return backward ? v - 1 - c : c
            }
            let total = m * v
            let warmup = min((p - i - 1) * 2 + (v - 1) * p, total)
            return interleave(total: total, warmup: warmup,
                              forward: { PipelineOp(backward: false, microBatch: microBatch($0), chunk: chunk($0, backward: false)) },
                              backward: { PipelineOp(backward: true, microBatch: microBatch($0), chunk: chunk($0, backward: true)) })
        }
    }

    /// Warm-up forwards, then one forward + one backward at a time, then the remaining backwards.
    private static func interleave(total: Int, warmup: Int, forward: (Int) -> PipelineOp,
                                   backward: (Int) -> PipelineOp) -> [PipelineOp] {
        var out: [PipelineOp] = []
        out.reserveCapacity(2 * total)
        for k in 0..<warmup { out.append(forward(k)) }
        for k in 0..<(total - warmup) {
            out.append(forward(warmup + k))
            out.append(backward(k))
        }
        for k in (total - warmup)..<total { out.append(backward(k)) }
        return out
    }
}

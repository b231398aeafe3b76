/// What a parallel group does with a buffer.
public enum CollectiveKind: String, Sendable, CaseIterable {
    case allReduce, reduceScatter, allGather
    /// Point to point (pipeline activations, ring-attention chunks); `ranks` is ignored.
    case send
}

/// The ranks a collective runs over (their links come from the rank placement).
public enum ParallelGroup: String, Sendable, CaseIterable {
    case tensor, context, pipeline
    /// Every rank holding the same parameters (dp × cp): the gradient reduction without ZeRO sharding.
    case data
    /// The ZeRO / FSDP shard group, and the group of a shard's replicas (HSDP).
    case shard, shardReplicas
}

/// One collective as one rank runs it: `count` times a `kind` over `ranks` ranks of `group` on a full buffer of `bytes`.
public struct Collective: Sendable, Equatable {
    public var name: String
    public var kind: CollectiveKind
    public var group: ParallelGroup
    public var ranks: Int
    public var bytes: Double
    public var count: Int = 1

    public init(_ name: String, _ kind: CollectiveKind, over group: ParallelGroup, ranks: Int, bytes: Double, count: Int = 1) {
        self.name = name; self.kind = kind; self.group = group; self.ranks = ranks; self.bytes = bytes; self.count = count
    }
}

/// The communication of a training step, described once — the collectives of one decoder layer and of the step's
/// boundaries, with their groups and bytes — next to `DecoderOperations` (the compute). The cost model only prices
/// them (`NetworkModel`) and decides what overlaps what.
public enum StepCommunication {
    /// Activations cross tensor- and pipeline-parallel boundaries in 16-bit.
    static let activationBytes = 2.0

    /// Tokens of one micro-batch on one rank: b sequences of s / cp tokens.
    static func rows(_ m: ModelArchitecture, _ l: ParallelLayout) -> Double {
        Double(l.microBatch) * Double(m.sequenceLength) / Double(l.contextParallel)
    }

    /// One layer's forward on one rank, per micro-batch. Tensor parallelism: 2 all-reduces of the b·s·h activation
    /// (after attention and after the FFN), or a reduce-scatter + all-gather pair each with sequence parallelism
    /// (Narayanan et al. 2021 §2.3; Korthikanti et al. 2022 §4.2.2). Context parallelism: cp − 1 ring steps, each passing
    /// this rank's K and V chunk (2 · b · s/cp · kv width / t) to the next (ring attention; Megatron-LM CP).
    public static func layerForward(_ m: ModelArchitecture, layout l: ParallelLayout) -> [Collective] {
        var out: [Collective] = []
        let t = l.tensor, rows = rows(m, l)
        if t > 1 {
            let bytes = rows * Double(m.hidden) * activationBytes
            if l.sequenceParallel {
                out.append(Collective("TP reduce-scatter", .reduceScatter, over: .tensor, ranks: t, bytes: bytes, count: 2))
                out.append(Collective("TP all-gather", .allGather, over: .tensor, ranks: t, bytes: bytes, count: 2))
            } else {
                out.append(Collective("TP all-reduce", .allReduce, over: .tensor, ranks: t, bytes: bytes, count: 2))
            }
        }
        if l.contextParallel > 1 {
            out.append(Collective("CP K/V ring step", .send, over: .context, ranks: 2,
                                  bytes: 2 * rows * Double(m.keyValueWidth) / Double(t) * activationBytes, count: l.contextParallel - 1))
        }
        return out
    }

    /// One layer's backward: the same tensor-parallel collectives on the gradients; the ring passes K and V again and
    /// their gradients back (twice the forward's ring traffic).
    public static func layerBackward(_ m: ModelArchitecture, layout l: ParallelLayout) -> [Collective] {
        layerForward(m, layout: l).map { c in
            var c = c
            if c.group == .context { c.count *= 2 }
            return c
        }
    }

    /// ZeRO-3 / FSDP for `parameters` on this rank: the all-gather of their 16-bit weights before a pass, and after the
    /// backward the reduce-scatter of their gradients (in `gradient_reduce` precision) over the shard group plus, for
    /// HSDP, the all-reduce of this rank's shard across the replicas. Empty without sharded weights.
    public static func shardedWeights(parameters: Double, layout l: ParallelLayout,
                                      weightBytes: Double) -> (gather: [Collective], reduce: [Collective]) {
        guard l.sharding == 3, parameters > 0 else { return ([], []) }
        let grads = parameters * l.gradientReduce.bytes
        return ([Collective("FSDP all-gather", .allGather, over: .shard, ranks: l.shardRanks, bytes: parameters * weightBytes)],
                [Collective("FSDP reduce-scatter", .reduceScatter, over: .shard, ranks: l.shardRanks, bytes: grads),
                 Collective("HSDP all-reduce", .allReduce, over: .shardReplicas, ranks: l.shardReplicas,
                            bytes: grads / Double(l.shardRanks))])
    }

    /// The gradient reduction after the backward, per parameter of this rank, without sharded weights: all-reduce over
    /// dp × cp, or with ZeRO-1/2 (Megatron's distributed optimizer) a reduce-scatter over the shard group and the
    /// shard's all-reduce across its replicas.
    public static func gradientReduction(layout l: ParallelLayout) -> [Collective] {
        let bytes = l.gradientReduce.bytes
        guard l.sharding >= 1 else {
            return [Collective("DP all-reduce", .allReduce, over: .data, ranks: l.replicaRanks, bytes: bytes)]
        }
        return [Collective("ZeRO reduce-scatter", .reduceScatter, over: .shard, ranks: l.shardRanks, bytes: bytes),
                Collective("ZeRO replica all-reduce", .allReduce, over: .shardReplicas, ranks: l.shardReplicas,
                           bytes: bytes / Double(l.shardRanks))]
    }

    /// After the optimizer step with ZeRO-1/2: the all-gather of the updated 16-bit weights, per parameter of this rank.
    public static func parameterGather(layout l: ParallelLayout, weightBytes: Double) -> Collective? {
        guard l.sharding >= 1 && l.sharding < 3 else { return nil }
        return Collective("ZeRO parameter all-gather", .allGather, over: .shard, ranks: l.shardRanks, bytes: weightBytes)
    }

    /// Between consecutive pipeline stages, per micro-batch and direction: the b·s·h activation split t ways (sequence
    /// parallel, or Megatron's scatter-gather optimisation, Narayanan et al. 2021 §4.1).
    public static func pipelineSend(_ m: ModelArchitecture, layout l: ParallelLayout) -> Collective {
        Collective("PP send", .send, over: .pipeline, ranks: 2,
                   bytes: rows(m, l) * Double(m.hidden) * activationBytes / Double(l.tensor))
    }
}

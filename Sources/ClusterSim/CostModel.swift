import ModelKit
import Hardware

/// Knobs of a simulation run that are not part of the scenario.
public struct SimulationOptions: Sendable {
    /// `layer`: one task per layer (timelines); `chunk`: one task per model chunk and micro-batch (plan search).
    /// Both give the same iteration time: tensor-parallel collectives are blocking in Megatron-LM, so they
    /// serialise with compute either way.
    public enum Granularity: Sendable { case layer, chunk }
    public var granularity: Granularity = .layer
    public var order: RankOrder = .tpDpPp
    /// Overlap the data-parallel gradient reduction with the last micro-batch's backward (Megatron
    /// `--overlap-grad-reduce`); off = reduce after the backward pass.
    public var overlapGradReduce: Bool = true
    /// Idealised hardware for model checks: GEMMs at peak, free memory-bound kernels, launches and communication.
    public var ideal: Bool = false
    /// Zero one cost class to measure how much of it is exposed ("what if it were free").
    public var freeTensorComm = false, freePipelineComm = false, freeDataComm = false
    /// The back end that prices every collective and send.
    public var network: any NetworkModel = AlphaBetaNetwork()

    /// The network for one class of traffic: the options' back end, or `FreeNetwork` when that class is free.
    func network(free: Bool) -> any NetworkModel { free || ideal ? FreeNetwork() : network }

    public init() {}
}

/// Time of one model chunk (the layers of one virtual stage) for one micro-batch on one pipeline rank.
public struct ChunkCost: Sendable, Equatable, Codable {
    public var layers: Int
    public var layerForwardCompute: Double
    public var layerForwardTensorComm: Double
    public var layerBackwardCompute: Double
    public var layerBackwardTensorComm: Double
    /// Work outside the layers: logits and loss on the last virtual stage.
    public var extraForward: Double
    public var extraBackward: Double
    /// Parameters of one layer on this rank (after tensor-parallel split), for gradient buckets.
    public var layerParameters: Double
    public var extraParameters: Double
    /// ZeRO-3 / FSDP: all-gather of one layer's weights before its forward and again before its backward, and the
    /// reduce-scatter of its gradients after (plus the HSDP all-reduce across replicas); the same for the
    /// parameters outside the layers (embedding, head) — the root unit, gathered once before the first micro-batch and
    /// reduce-scattered once after the last, as PyTorch FSDP keeps its root module unsharded through the step.
    /// 0 without sharded weights.
    public var layerGather: Double = 0
    public var layerGradientReduce: Double = 0
    public var extraGather: Double = 0
    public var extraGradientReduce: Double = 0

    public var forward: Double { Double(layers) * (layerForwardCompute + layerForwardTensorComm) + extraForward }
    public var backward: Double { Double(layers) * (layerBackwardCompute + layerBackwardTensorComm) + extraBackward }

    /// One pass with weights gathered layer by layer, one layer prefetched, as one fused task (plan search): the
    /// per-layer graph's length when nothing else shares the data-parallel stream — the first gather, then per layer
    /// the slower of its compute and the stream's traffic (gather; in backward also the reduce-scatter), then the last
    /// layer's reduce-scatter, which the next pass's first gather waits behind. The per-layer graph overlaps a little
    /// more across pass boundaries; the difference is a fraction ~1/layers of the pass.
    public func shardedForward(firstMicroBatch: Bool) -> Double {
        let root = firstMicroBatch ? extraGather : 0
        guard layerGather > 0, layers > 0 else { return forward + root }
        let c = layerForwardCompute + layerForwardTensorComm
        return root + layerGather + c + Double(layers - 1) * max(c, layerGather) + extraForward
    }
    /// (Never the last micro-batch's, which is built per layer: the root unit's reduce-scatter is not in here.)
    public var shardedBackward: Double {
        guard layerGather > 0, layers > 0 else { return backward }
        let c = layerBackwardCompute + layerBackwardTensorComm, stream = layerGather + layerGradientReduce
        return extraBackward + layerGather + c + Double(layers - 1) * max(c, stream) + layerGradientReduce
    }
}

/// Every duration one training iteration is made of, before scheduling.
public struct IterationCosts: Sendable, Equatable, Codable {
    public var pipelineRanks: Int
    public var virtualStages: Int
    public var microBatches: Int
    public var schedule: PipelineSchedule
    /// chunks[rank][chunk]
    public var chunks: [[ChunkCost]]
    /// Activation send between virtual stage k and k+1 (index k), forward and backward.
    public var sendForward: [Double]
    public var sendBackward: [Double]
    /// Data-parallel gradient reduction per parameter (seconds per parameter on this rank's share) and fixed cost.
    public var gradientReducePerParameter: Double
    public var gradientReduceLatency: Double
    /// Parameter all-gather after the optimizer (distributed optimizer), per rank.
    public var parameterGather: [Double]
    public var optimizerStep: [Double]
    public var overlapGradReduce: Bool
    /// ZeRO-3 / FSDP: weights gathered per layer and gradients reduce-scattered per layer and micro-batch
    /// (`ChunkCost.layerGather`), so the iteration has no reduction after the backward and no gather after the step.
    public var shardedWeights: Bool = false

    public func gradientReduce(parameters: Double) -> Double {
        parameters == 0 ? 0 : gradientReduceLatency + parameters * gradientReducePerParameter
    }
}

/// Turns a model, a layout and a system profile into the durations of one iteration.
///
/// Compute: every GEMM of a layer (QKV, QKᵀ, ×V, output projection, FFN) timed at the profile's GEMM
/// efficiency for its size; backward = dgrad + wgrad GEMMs (2×); memory-bound kernels move every activation
/// Korthikanti et al. count, written and read once forward and twice backward, at the HBM fraction.
/// Tensor parallelism: 2 all-reduces forward and 2 backward per layer (reduce-scatter + all-gather pairs
/// with sequence parallelism), blocking (Narayanan et al. 2021 §2.3; Korthikanti et al. 2022 §4.2.2).
/// FlashAttention-2: the attention core at the kernel's measured forward + backward rate (`flashAttentionCurve`),
/// backward = 2.5 × forward (it recomputes the scores; Dao 2023's benchmark convention), causal half of the square.
/// Context parallelism: s / cp tokens per rank, keys and values passed around the cp ring, overlapped with the
/// attention core (Liu et al. 2023, ring attention; Megatron-LM CP). ZeRO / FSDP: see `ChunkCost.layerGather`.
public enum CostModel {
    public static func costs(model m: ModelArchitecture, layout: ParallelLayout, globalBatch: Int,
                             system: SystemProfile, options: SimulationOptions = SimulationOptions()) -> IterationCosts {
        let e = system.efficiency
        let ideal = options.ideal
        let t = layout.tensor, p = layout.pipeline, v = layout.virtualStages, d = layout.data
        let td = Double(t)
        let placement = Placement(layout: layout, system: system, order: options.order)
        let peak = system.peakFLOPs
        func gemm(_ flops: Double) -> Double {
            ideal ? flops / peak : flops / (peak * e.gemmFraction(gflop: flops / 1e9))
        }
        // FP8 linear layers: the bf16 curve's fraction for the GEMM's size × the measured FP8/bf16 ratio, of the FP8 peak.
        let fp8Peak = layout.precision == .fp8 ? system.fp8PeakFLOPs : nil
        func linear(_ flops: Double) -> Double {
            guard let fp8Peak, let ratio = e.fp8GemmRatio else { return gemm(flops) }
            return ideal ? flops / fp8Peak : flops / (fp8Peak * ratio * e.gemmFraction(gflop: flops / 1e9))
        }
        let hbm = ideal ? Double.infinity : system.hbmBytesPerSecond * e.hbmFraction
        let launch = ideal ? 0 : e.kernelLaunch * e.kernelsPerLayerForward

        let cp = layout.contextParallel
        let b = Double(layout.microBatch), s = Double(m.sequenceLength)
        let rows = b * s / Double(cp)
        // The layer's matrix work on one tensor-parallel rank, from ModelKit's one description of it. The attention
        // core: MiniGPT's block-causal GEMMs execute only part of the s×s work; with a measured attention curve
        // (CPU profiles) it is priced per item at its rate (softmax included), otherwise as two batched GEMMs.
        let executed = system.stack == .minigpt ? MiniGPTKernels.attentionExecutedFraction(sequenceLength: m.sequenceLength) : 1
        var attentionCore = 0.0, forwardGEMM = 0.0
        // FlashAttention's backward beyond the generic 2 × forward: it runs 2.5 × the forward's work.
        var flashBackwardExtra = 0.0
        for op in DecoderOperations.layer(m, tensorParallel: t, contextParallel: cp, sequences: b) {
            switch op.kind {
            case .gemm:
                forwardGEMM += linear(op.flops)
            case let .attentionCore(items, perItem) where layout.attention.fused:
                // Causal: the kernel skips the blocks above the diagonal, half the square (Dao 2023 §3.1). With context
                // parallelism the kernel runs once per ring step on an (s/cp) × (s/cp) block, so its efficiency is
                // looked up at that block's size.
                let itemFlops = perItem / 2
                let kernelCall = itemFlops / Double(cp)
                let fraction = ideal ? 1 : (system.attentionCurve(layout.attention)?.fraction(gflop: kernelCall / 1e9)
                                            ?? e.gemmFraction(gflop: items * itemFlops / 1e9))
                attentionCore = items * itemFlops / (peak * fraction)
                flashBackwardExtra = 0.5 * attentionCore
                forwardGEMM += attentionCore
            case let .attentionCore(items, perItem):
                let itemFlops = perItem * executed
                if ideal {
                    attentionCore = items * itemFlops / peak
                } else if let curve = e.attentionCurve {
                    attentionCore = items * itemFlops / (peak * curve.fraction(gflop: itemFlops / 1e9))
                } else {
                    attentionCore = 2 * gemm(items * itemFlops / 2)
                }
                forwardGEMM += attentionCore
            }
        }

        var noRecompute = ParallelLayout(tensor: t, pipeline: p, data: d, microBatch: layout.microBatch,
                                         sequenceParallel: layout.sequenceParallel, recompute: .none)
        noRecompute.contextParallel = cp
        noRecompute.attention = layout.attention
        let activation = ActivationMemory.perLayer(m, layout: noRecompute, assumptions: MemoryAssumptions())
        // Memory-bound kernels. Megatron: every stored activation (Korthikanti et al.) written and read once
        // forward, twice backward. MiniGPT: the bytes its kernels move (`MiniGPTKernels`).
        let forwardMemory: Double, backwardMemory: Double
        switch system.stack {
        case .megatron:
            forwardMemory = 2 * activation.stored / hbm
            backwardMemory = 2 * forwardMemory
        case .minigpt:
            let bytes = MiniGPTKernels.layerBytesPerRow(m)
            forwardMemory = rows * bytes.forward / hbm
            backwardMemory = rows * bytes.backward / hbm
        }
        let forwardCompute = forwardGEMM + forwardMemory + launch
        var backwardCompute = 2 * forwardGEMM + flashBackwardExtra + backwardMemory + 2 * launch
        switch layout.effectiveRecompute {
        case .none: break
        case .selective:
            backwardCompute += attentionCore + 2 * activation.attentionScores / hbm
        case .full: break    // per rank below: only its recomputing layers pay (`recomputedLayers`)
        }

        // The layer's collectives, from ModelKit's one description of them (`StepCommunication`), priced on the links
        // their groups cross. Tensor-parallel ones block the stream; the context-parallel ring overlaps the attention
        // core of the chunks already received, so only what exceeds (cp − 1)/cp of the core is exposed.
        let layerNet = options.network(free: options.freeTensorComm)
        func price(_ cs: [Collective], _ net: any NetworkModel, _ group: ParallelGroup) -> Double {
            cs.filter { $0.group == group }.reduce(0) {
                $0 + Double($1.count) * net.time($1.kind, bytes: $1.bytes, ranks: $1.ranks, link: placement.link(for: group))
            }
        }
        let forwardCollectives = StepCommunication.layerForward(m, layout: layout)
        let backwardCollectives = StepCommunication.layerBackward(m, layout: layout)
        let hidden = cp > 1 ? Double(cp - 1) / Double(cp) : 0
        let forwardCP = max(0, price(forwardCollectives, layerNet, .context) - hidden * attentionCore)
        let backwardCP = max(0, price(backwardCollectives, layerNet, .context) - hidden * (2 * attentionCore + flashBackwardExtra))
        let forwardTP = price(forwardCollectives, layerNet, .tensor) + forwardCP
        let backwardTP = price(backwardCollectives, layerNet, .tensor) + backwardCP

        // Logits + cross entropy on the last virtual stage: forward GEMM, backward 2×, fp32 softmax traffic
        // (MiniGPT: also its embedding and final norm, `MiniGPTKernels.outsideLayersBytesPerRow`).
        let vocabShard = Double(m.paddedVocab) / td
        let outsideBytes: (forward: Double, backward: Double) = system.stack == .minigpt
            ? MiniGPTKernels.outsideLayersBytesPerRow(m)
            : (3 * vocabShard * 4, 3 * vocabShard * 4)
        let logitsGEMM = gemm(DecoderOperations.logits(m, tensorParallel: t, contextParallel: cp, sequences: b).flops)
        let logitsForward = logitsGEMM + rows * outsideBytes.forward / hbm
        let logitsBackward = 2 * logitsGEMM + rows * outsideBytes.backward / hbm

        let shards = ParameterShards(m, tensorParallel: t)
        // ZeRO-3 / FSDP traffic per layer (and for the root unit), as `StepCommunication.shardedWeights` describes it.
        let dpNet = options.network(free: options.freeDataComm)
        let assumptions = MemoryAssumptions()
        let shardedWeights = layout.sharding == 3
        func priceAll(_ cs: [Collective]) -> Double {
            cs.reduce(0) { $0 + Double($1.count) * dpNet.time($1.kind, bytes: $1.bytes, ranks: $1.ranks, link: placement.link(for: $1.group)) }
        }
        func gather(_ params: Double) -> Double {
            priceAll(StepCommunication.shardedWeights(parameters: params, layout: layout, weightBytes: assumptions.weightBytes).gather)
        }
        func reduceGradients(_ params: Double) -> Double {
            priceAll(StepCommunication.shardedWeights(parameters: params, layout: layout, weightBytes: assumptions.weightBytes).reduce)
        }

        var chunks: [[ChunkCost]] = []
        for rank in 0..<p {
            var row: [ChunkCost] = []
            // Full recompute repeats the forward (compute and its TP collectives) in backward, on the share of this
            // rank's layers that recompute; costs are per layer, so the share is spread over them.
            let stageLayers = layout.layers(onStage: rank, of: m)
            let share = stageLayers == 0 ? 0 : Double(layout.recomputedLayers(onStage: rank, of: m)) / Double(stageLayers)
            for c in 0..<v {
                let virtualStage = c * p + rank
                let last = virtualStage == p * v - 1
                let extraParams = shards.outsideLayers(first: virtualStage == 0, last: last, pipeline: p)
                row.append(ChunkCost(
                    layers: layout.layersPerChunk(onStage: rank, of: m),
                    layerForwardCompute: forwardCompute, layerForwardTensorComm: forwardTP,
                    layerBackwardCompute: backwardCompute + share * forwardCompute, layerBackwardTensorComm: backwardTP + share * forwardTP,
                    extraForward: last ? logitsForward : 0, extraBackward: last ? logitsBackward : 0,
                    layerParameters: shards.perLayer, extraParameters: extraParams,
                    layerGather: gather(shards.perLayer), layerGradientReduce: reduceGradients(shards.perLayer),
                    extraGather: gather(extraParams), extraGradientReduce: reduceGradients(extraParams)))
            }
            chunks.append(row)
        }

        // Pipeline sends (`StepCommunication.pipelineSend`), on NVLink or the network depending on the two ranks.
        let send = StepCommunication.pipelineSend(m, layout: layout)
        let virtualCount = p * v
        var sendF: [Double] = [], sendB: [Double] = []
        let ppNet = options.network(free: options.freePipelineComm)
        for k in 0..<max(0, virtualCount - 1) {
            let from = k % p, to = (k + 1) % p
            let time = ppNet.time(send.kind, bytes: send.bytes, ranks: send.ranks, link: placement.pipelineLink(from: from, to: to))
            sendF.append(time)
            sendB.append(time)
        }

        // Data parallelism without sharded weights (`StepCommunication.gradientReduction`): the reduction is bucketed as
        // the backward pass goes, so each collective is priced per parameter (affine in bytes); then, with ZeRO-1/2
        // (Megatron's distributed optimizer), the updated 16-bit weights are all-gathered after the step.
        var perParam = 0.0, latency = 0.0
        if !shardedWeights {
            for c in StepCommunication.gradientReduction(layout: layout) {
                let a = dpNet.affine(c.kind, ranks: c.ranks, link: placement.link(for: c.group))
                perParam += Double(c.count) * a.perByte * c.bytes
                latency += Double(c.count) * a.latency
            }
        }
        let afterStep = StepCommunication.parameterGather(layout: layout, weightBytes: assumptions.weightBytes)
        var gather: [Double] = [], step: [Double] = []
        for rank in 0..<p {
            let params = chunks[rank].reduce(0.0) { $0 + Double($1.layers) * $1.layerParameters + $1.extraParameters }
            let shard = layout.sharding >= 1 ? params / Double(layout.shardRanks) : params
            gather.append(afterStep.map { dpNet.time($0.kind, bytes: params * $0.bytes, ranks: $0.ranks, link: placement.link(for: $0.group)) } ?? 0)
            // Adam step on fp32 master weights: read grad, master, m, v (16 B), write master, m, v (12 B)
            // and the bf16 copy (2 B): 30 bytes per parameter of the shard, memory-bound (MiniGPT: its own count).
            // The profile's fixed per-step overhead (host work on CPU profiles) is paid here, once per step.
            let bytesPerParameter = system.stack == .minigpt ? MiniGPTKernels.optimizerBytesPerParameter : 30
            step.append(ideal ? 0 : shard * bytesPerParameter / hbm + e.stepOverhead)
        }

        return IterationCosts(
            pipelineRanks: p, virtualStages: v, microBatches: layout.microBatches(globalBatch: globalBatch),
            schedule: layout.schedule, chunks: chunks, sendForward: sendF, sendBackward: sendB,
            gradientReducePerParameter: perParam, gradientReduceLatency: latency,
            parameterGather: gather, optimizerStep: step, overlapGradReduce: options.overlapGradReduce,
            shardedWeights: shardedWeights)
    }
}

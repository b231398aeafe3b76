import Testing
import ModelKit
import Hardware
@testable import ClusterSim

/// FlashAttention-2 / cuDNN attention, context parallelism and partial recompute against first-principles formulas.
@Suite struct AttentionAndContextTests {
    let model = ModelArchitecture(layers: 8, hidden: 4096, heads: 32, ffnHidden: 16384, vocab: 32000, sequenceLength: 8192)
    let h100 = CostModelTests.systems.system(named: "dgx-h100")!

    /// Fused attention stores no s² scores: the standard layout's activations exceed the fused one's by Korthikanti's
    /// 5·a·s²·b bytes (softmax output, dropout mask and output) less the fp32 log-sum-exp (4·a·s·b).
    @Test func fusedAttentionDropsTheScores() {
        var standard = ParallelLayout(tensor: 1, pipeline: 1, data: 1)
        var flash = standard
        flash.attention = .flash
        let a = MemoryAssumptions()
        let s = Double(model.sequenceLength), heads = Double(model.heads)
        let gap = ActivationMemory.perLayer(model, layout: standard, assumptions: a).stored
            - ActivationMemory.perLayer(model, layout: flash, assumptions: a).stored
        #expect(abs(gap - (5 * heads * s * s - 4 * heads * s)) < 1)
        // Selective recompute has nothing to drop with a fused kernel, and recomputes nothing.
        standard.recompute = .selective
        flash.recompute = .selective
        #expect(ActivationMemory.perLayer(model, layout: flash, assumptions: a).stored
                == ActivationMemory.perLayer(model, layout: { var l = flash; l.recompute = .none; return l }(), assumptions: a).stored)
        #expect(TrainingFlopsPerToken(model, layout: flash).recomputed == 0)
        #expect(TrainingFlopsPerToken(model, layout: standard).recomputed > 0)
    }

    /// The fused core runs the causal half of the square at the kernel's measured forward+backward rate, backward
    /// 2.5× forward: with everything else idealised away, the layer's attention time is 3.5 · F/2 / (peak · f).
    @Test func flashCoreAtTheKernelCurve() {
        var layout = ParallelLayout(tensor: 1, pipeline: 1, data: 1)
        layout.attention = .flash
        let c = CostModel.costs(model: model, layout: layout, globalBatch: 1, system: h100)
        let core = DecoderOperations.layer(model, tensorParallel: 1, sequences: 1).first { $0.name == "attention core" }!
        guard case let .attentionCore(items, perItem) = core.kind else { Issue.record("no core"); return }
        let f = h100.efficiency.flashAttentionCurve!.fraction(gflop: perItem / 2 / 1e9)
        let expected = 3.5 * items * perItem / 2 / (h100.peakFLOPs * f)
        // Everything but the core is the same for cuDNN, so the two layouts differ by the two cores' times.
        var cudnn = layout
        cudnn.attention = .cudnn
        let d = CostModel.costs(model: model, layout: cudnn, globalBatch: 1, system: h100)
        let fc = h100.efficiency.cudnnAttentionCurve!.fraction(gflop: perItem / 2 / 1e9)
        let expectedGap = expected - 3.5 * items * perItem / 2 / (h100.peakFLOPs * fc)
        let layer = { (x: IterationCosts) in x.chunks[0][0].layerForwardCompute + x.chunks[0][0].layerBackwardCompute }
        #expect(abs((layer(c) - layer(d)) - expectedGap) / expectedGap < 1e-9)
    }

    /// Context parallelism: s/cp tokens per rank (activations and GEMM rows ÷ cp), the GPU count × cp, and a K/V ring
    /// that stays hidden behind the attention core on NVLink but is exposed when the ring crosses a slow network.
    @Test func contextParallelSplitsTheSequence() throws {
        var one = ParallelLayout(tensor: 1, pipeline: 1, data: 1)
        one.attention = .cudnn
        var two = one
        two.contextParallel = 2
        #expect(two.gpus == 2)
        let a = MemoryAssumptions()
        let full = ActivationMemory.perLayer(model, layout: one, assumptions: a).stored
        let half = ActivationMemory.perLayer(model, layout: two, assumptions: a).stored
        #expect(abs(full / half - 2) < 1e-12)
        let ops1 = DecoderOperations.layer(model, tensorParallel: 1, contextParallel: 1, sequences: 1)
        let ops2 = DecoderOperations.layer(model, tensorParallel: 1, contextParallel: 2, sequences: 1)
        for (x, y) in zip(ops1, ops2) { #expect(abs(x.flops / y.flops - 2) < 1e-12, "\(x.name)") }

        let fast = CostModel.costs(model: model, layout: two, globalBatch: 1, system: h100)
        #expect(fast.chunks[0][0].layerForwardTensorComm == 0, "the ring hides behind the core on NVLink")
        var slow = h100
        slow.gpusPerNode = 1
        slow.nicsPerNode = 1
        slow.nicGbitPerSecond = 1
        let exposed = CostModel.costs(model: model, layout: two, globalBatch: 1, system: slow)
        #expect(exposed.chunks[0][0].layerForwardTensorComm > 0)
        #expect(exposed.chunks[0][0].layerBackwardTensorComm > exposed.chunks[0][0].layerForwardTensorComm)
        var bad = two
        bad.contextParallel = 3
        #expect(bad.problems(for: model, globalBatch: 1).map(\.field) == ["cp"])
    }

    /// No dropout: no 1-byte masks (2·s·b·h per layer); FP8 linear layers keep their four inputs in one byte
    /// (2·s·b·h + s·b·a + s·b·f saved); FP8 GEMMs run at the FP8 peak × fp8_gemm_ratio of the bf16 curve.
    @Test func dropoutAndFP8() {
        let a = MemoryAssumptions()
        var layout = ParallelLayout(tensor: 1, pipeline: 1, data: 1)
        layout.attention = .flash
        var noDropout = model
        noDropout.dropout = false
        let sbh = Double(model.sequenceLength * model.hidden)
        let with = ActivationMemory.perLayer(model, layout: layout, assumptions: a).stored
        let without = ActivationMemory.perLayer(noDropout, layout: layout, assumptions: a).stored
        #expect(abs(with - without - 2 * sbh) < 1)
        var fp8 = layout
        fp8.precision = .fp8
        let saved = ActivationMemory.perLayer(model, layout: layout, assumptions: a).stored - ActivationMemory.perLayer(model, layout: fp8, assumptions: a).stored
        let sbA = Double(model.sequenceLength * model.attentionWidth), sbf = Double(model.sequenceLength * model.ffnHidden)
        #expect(abs(saved - (2 * sbh - sbA + sbf)) < 1, "fused attention: the output gains an FP8 copy")

        // Ideal hardware isolates the GEMMs: the linear layers' share shrinks by peak_bf16 / peak_fp8.
        var ideal = SimulationOptions()
        ideal.ideal = true
        let bf = CostModel.costs(model: model, layout: layout, globalBatch: 1, system: h100, options: ideal).chunks[0][0]
        let f8 = CostModel.costs(model: model, layout: fp8, globalBatch: 1, system: h100, options: ideal).chunks[0][0]
        let linear = DecoderOperations.layer(model, tensorParallel: 1, sequences: 1).filter {
            if case .gemm = $0.kind { return true } else { return false }
        }.reduce(0.0) { $0 + $1.flops }
        let expected = linear / h100.peakFLOPs - linear / h100.fp8PeakFLOPs!
        #expect(abs((bf.layerForwardCompute - f8.layerForwardCompute) - expected) / expected < 1e-9)

        // On the profile's curves: each linear GEMM's time shrinks by peak_bf16 / (peak_fp8 × fp8_gemm_ratio).
        let e = h100.efficiency
        let real = { (l: ParallelLayout) in CostModel.costs(model: model, layout: l, globalBatch: 1, system: h100).chunks[0][0].layerForwardCompute }
        let bf16Linear = DecoderOperations.layer(model, tensorParallel: 1, sequences: 1).reduce(0.0) { sum, op in
            if case .gemm = op.kind { return sum + op.flops / (h100.peakFLOPs * e.gemmFraction(gflop: op.flops / 1e9)) }
            return sum
        }
        let shrink = 1 - h100.peakFLOPs / (h100.fp8PeakFLOPs! * e.fp8GemmRatio!)
        #expect(abs((real(layout) - real(fp8)) - bf16Linear * shrink) / (bf16Linear * shrink) < 1e-9)

        // tp 2: the projection and FFN-out inputs are split by tp; the QKV and FFN-in inputs only with sequence
        // parallelism. With fused attention the projection input (the attention output) gains an FP8 copy.
        for sp in [false, true] {
            var two = ParallelLayout(tensor: 2, pipeline: 1, data: 1, sequenceParallel: sp)
            two.attention = .flash
            var twoFP8 = two
            twoFP8.precision = .fp8
            let saved2 = ActivationMemory.perLayer(model, layout: two, assumptions: a).stored - ActivationMemory.perLayer(model, layout: twoFP8, assumptions: a).stored
            let expected2 = 2 * sbh / (sp ? 2 : 1) + (sbf - sbA) / 2
            #expect(abs(saved2 - expected2) < 1, "sp \(sp): \(saved2) vs \(expected2)")
        }
    }

    /// With context parallelism the fused kernel runs per ring step on an (s/cp)² block: its efficiency is looked up at
    /// that block's forward GFLOP, 4·(s/cp)²·d/2.
    @Test func contextParallelKernelAtTheBlockSize() {
        var layout = ParallelLayout(tensor: 1, pipeline: 1, data: 1)
        layout.attention = .cudnn
        layout.contextParallel = 4
        var without = layout
        without.attention = .flash
        let core = DecoderOperations.layer(model, tensorParallel: 1, contextParallel: 4, sequences: 1).first { $0.name == "attention core" }!
        guard case let .attentionCore(items, perItem) = core.kind else { Issue.record("no core"); return }
        let block = perItem / 2 / 4 / 1e9
        let cudnn = 3.5 * items * perItem / 2 / (h100.peakFLOPs * h100.efficiency.cudnnAttentionCurve!.fraction(gflop: block))
        let flash = 3.5 * items * perItem / 2 / (h100.peakFLOPs * h100.efficiency.flashAttentionCurve!.fraction(gflop: block))
        let layer = { (l: ParallelLayout) -> Double in
            let c = CostModel.costs(model: model, layout: l, globalBatch: 1, system: h100).chunks[0][0]
            return c.layerForwardCompute + c.layerBackwardCompute
        }
        #expect(abs((layer(without) - layer(layout)) - (flash - cudnn)) / (flash - cudnn) < 1e-9)
    }

    /// Full recompute of k of L layers per rank: memory and time between none and full, and HFU counts k/L of it.
    @Test func partialRecomputeIsBetweenNoneAndFull() throws {
        var none = ParallelLayout(tensor: 1, pipeline: 2, data: 1, microBatch: 1)
        none.attention = .flash
        var full = none
        full.recompute = .full
        var half = full
        half.recomputeLayers = 2
        func run(_ l: ParallelLayout) throws -> SimulationResult {
            try Simulator.simulate(model: model, layout: l, globalBatch: 8, system: h100, usableMemoryBytes: 1e15).0
        }
        let (n, f, h) = (try run(none), try run(full), try run(half))
        #expect(n.iterationTime < h.iterationTime && h.iterationTime < f.iterationTime)
        #expect(n.memory.peak.activations > h.memory.peak.activations && h.memory.peak.activations > f.memory.peak.activations)
        #expect(abs(half.recomputedLayerShare(of: model) - 0.5) < 1e-12)
        #expect(abs((h.hfu - h.mfu) / (f.hfu - f.mfu) * h.iterationTime / f.iterationTime - 0.5) < 1e-9)
        var bad = none
        bad.recomputeLayers = 2
        #expect(bad.problems(for: model, globalBatch: 8).map(\.field) == ["recompute_layers"])
    }
}

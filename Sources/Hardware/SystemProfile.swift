import Foundation

/// Achievable fraction of a GPU's peak as a function of one GEMM's size: piecewise linear in log(GFLOP)
/// between the profile's points, flat outside them.
public struct EfficiencyCurve: Sendable, Equatable, Codable {
    /// (GFLOP of one GEMM, achieved fraction of peak), sorted by GFLOP.
    public var points: [(gflop: Double, fraction: Double)]

    public init(points: [(gflop: Double, fraction: Double)]) {
        self.points = points.sorted { $0.gflop < $1.gflop }
    }

    public func fraction(gflop: Double) -> Double {
        guard let first = points.first, let last = points.last else { return 1 }
        if gflop <= first.gflop { return first.fraction }
        if gflop >= last.gflop { return last.fraction }
        let x = log(gflop)
        for (a, b) in zip(points, points.dropFirst()) where gflop <= b.gflop {
            let t = (x - log(a.gflop)) / (log(b.gflop) - log(a.gflop))
            return a.fraction + t * (b.fraction - a.fraction)
        }
        return last.fraction
    }

    public var maximum: Double { points.map(\.fraction).max() ?? 1 }

    public static func == (l: EfficiencyCurve, r: EfficiencyCurve) -> Bool {
        l.points.map(\.gflop) == r.points.map(\.gflop) && l.points.map(\.fraction) == r.points.map(\.fraction)
    }

    enum CodingKeys: String, CodingKey { case gflop, fraction }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(points.map(\.gflop), forKey: .gflop)
        try c.encode(points.map(\.fraction), forKey: .fraction)
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let g = try c.decode([Double].self, forKey: .gflop), f = try c.decode([Double].self, forKey: .fraction)
        self.init(points: Array(zip(g, f)).map { (gflop: $0.0, fraction: $0.1) })
    }
}

/// The efficiency knobs of a system: every one is a documented input, none is buried in code.
public struct EfficiencyKnobs: Sendable, Equatable, Codable {
    /// Achieved fraction of bf16 peak for one GEMM of a given size, before `gemmScale`.
    public var gemm: EfficiencyCurve
    /// Multiplier on the GEMM curve: what a training run's GEMMs reach next to communication kernels,
    /// relative to an isolated GEMM benchmark. The one knob calibrated on FLM-101B.
    public var gemmScale: Double

    /// Fraction of peak for one GEMM of `gflop` GFLOP in a training run.
    public func gemmFraction(gflop: Double) -> Double { gemmScale * gemm.fraction(gflop: gflop) }
    /// Achieved fraction of HBM bandwidth for memory-bound (elementwise, norm, softmax, optimizer) kernels.
    public var hbmFraction: Double
    /// NCCL bus bandwidth as a fraction of the NVLink per-direction line rate.
    public var nvlinkBusFraction: Double
    /// NCCL bus bandwidth as a fraction of the NICs' line rate.
    public var networkBusFraction: Double
    /// Per-step latency α of a collective, seconds.
    public var nvlinkLatency: Double
    public var networkLatency: Double
    /// Launch overhead per kernel, seconds, and kernels per layer per forward pass (backward: twice as many).
    public var kernelLaunch: Double
    public var kernelsPerLayerForward: Double
    /// Achieved fraction of peak of the attention core, by the executed GFLOP of one (sequence, head) item
    /// forward; nil = the attention GEMMs are priced on the GEMM curve (batched over heads, as on GPUs).
    public var attentionCurve: EfficiencyCurve? = nil
    /// Achieved fraction of peak of FlashAttention-2 forward + backward, by the forward GFLOP one (sequence, head)
    /// item executes (4·s²·d, halved when causal — the FlashAttention benchmark's convention), fitted on the kernel
    /// measurements in `Data/components/attention.csv` (`scripts/fit-components.py`); nil = the GPU has no
    /// measurement, and a flash layout is priced at the GEMM curve.
    public var flashAttentionCurve: EfficiencyCurve? = nil
    /// The same for cuDNN's fused attention (Transformer Engine); nil = the flash curve stands in.
    public var cudnnAttentionCurve: EfficiencyCurve? = nil
    /// FP8 GEMMs: achieved fraction of the FP8 peak relative to the bf16 curve's fraction of the bf16 peak (from the
    /// best shapes measured in each precision, `Data/components/gemm.csv`); nil = FP8 not priced on this system.
    public var fp8GemmRatio: Double? = nil
    /// Fixed seconds per optimizer step outside the layers (data, loss reduction, thread wake-ups); 0 on GPUs,
    /// where the host work overlaps the device's.
    public var stepOverhead: Double = 0
}

/// The software that runs the training step on a system: what the cost model prices besides the hardware.
public enum TrainingStack: String, Sendable, Codable, CaseIterable {
    /// Megatron-LM in mixed precision: bf16 activations, full s×s attention scores, fp32 master weights and Adam.
    case megatron
    /// GrowthBench's own trainer (`Sources/MiniGPT`): fp32 throughout, block-causal attention, AdamW in fp32
    /// (`ModelKit.MiniGPTKernels` lists what it moves).
    case minigpt
}

/// A node type: GPU, how many per node, their NICs, and the efficiency knobs. From `Data/hardware/systems.yaml`.
public struct SystemProfile: Sendable, Equatable, Codable {
    public var name: String
    public var gpu: GPUSpec
    public var gpusPerNode: Int
    public var nicsPerNode: Int
    /// Line rate of one NIC, Gbit/s.
    public var nicGbitPerSecond: Double
    public var efficiency: EfficiencyKnobs
    public var sources: [String]
    /// The software the profile's knobs describe (Megatron-LM for the GPU catalog, MiniGPT for `calibrate`'s).
    public var stack: TrainingStack = .megatron
    /// Threads the profile was measured with (CPU profiles; nil for GPUs).
    public var threads: Int? = nil

    public init(name: String, gpu: GPUSpec, gpusPerNode: Int, nicsPerNode: Int, nicGbitPerSecond: Double,
                efficiency: EfficiencyKnobs, sources: [String], stack: TrainingStack = .megatron, threads: Int? = nil) {
        self.name = name
        self.gpu = gpu
        self.gpusPerNode = gpusPerNode
        self.nicsPerNode = nicsPerNode
        self.nicGbitPerSecond = nicGbitPerSecond
        self.efficiency = efficiency
        self.sources = sources
        self.stack = stack
        self.threads = threads
    }

    /// NVLink bandwidth per GPU per direction, bytes/s (datasheets quote both directions summed).
    public var nvlinkBytesPerSecond: Double { gpu.nvlinkGBs / 2 * 1e9 }
    /// Inter-node bandwidth of a whole node, bytes/s per direction.
    public var nodeNetworkBytesPerSecond: Double { Double(nicsPerNode) * nicGbitPerSecond / 8 * 1e9 }
    public var peakFLOPs: Double { gpu.peakTFLOPs * 1e12 }
    /// FP8 GEMM peak, FLOP/s, when the GPU has FP8 tensor cores and the profile a measured FP8 ratio.
    public var fp8PeakFLOPs: Double? {
        guard let peak = gpu.peakFP8TFLOPs, efficiency.fp8GemmRatio != nil else { return nil }
        return peak * 1e12
    }
    public var hbmBytesPerSecond: Double { gpu.memoryBandwidthGBs * 1e9 }
}

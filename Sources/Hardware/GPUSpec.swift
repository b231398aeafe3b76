/// Datasheet figures of one GPU model. Every figure carries a source in `Data/hardware/gpus.yaml`.
public struct GPUSpec: Codable, Sendable, Equatable {
    public var name: String
    /// HBM capacity in GiB.
    public var memoryGiB: Double
    /// Dense bf16/fp16 tensor-core peak, TFLOP/s.
    public var peakTFLOPs: Double
    /// HBM bandwidth, GB/s.
    public var memoryBandwidthGBs: Double
    /// NVLink bandwidth per GPU, GB/s, both directions summed (the datasheet convention).
    public var nvlinkGBs: Double
    public var tdpWatts: Double
    public var sources: [String]
    /// Dense FP8 tensor-core peak, TFLOP/s (Hopper and later); nil = no FP8 tensor cores.
    public var peakFP8TFLOPs: Double? = nil

    public var memoryBytes: Double { memoryGiB * 1024 * 1024 * 1024 }
}

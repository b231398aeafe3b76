/// Run-level parameters of the cost model: reliability, checkpoints, growth transitions, energy.
/// Every default is documented with its origin; a scenario's `run:` section overrides them.
public struct RunSettings: Sendable, Equatable, Codable {
    /// Count interruptions (lost work and restarts). Checkpoints are written either way.
    public var failures: Bool = true
    /// Mean time between failures of one node, hours. Default: Llama 3 405B's 419 unexpected interruptions in
    /// 54 days on 16,384 H100s ≈ 50,700 GPU-hours per interruption = 6,340 hours per 8-GPU node
    /// (arXiv 2407.21783 §3.3.4).
    public var nodeMTBFHours: Double = 6340
    /// Time from a failure (or a planned stop) to training again, minutes. Default: MegaScale's detection and
    /// diagnosis under 10 minutes plus catch-up within 15 (arXiv 2402.15627).
    public var restartMinutes: Double = 15
    /// Checkpoint size per parameter, bytes: bf16 weights (2) + fp32 master weights (4) + Adam m and v (8)
    /// = 14, BLOOM's measured 14 bytes/param (2.3 TB for 176B; bigscience tr11 README).
    public var checkpointBytesPerParameter: Double = 14
    /// Aggregate bandwidth to the checkpoint storage, GB/s. Assumption: 10 GB/s (BLOOM wrote 2.3 TB in ~40 s,
    /// ~57 GB/s, on Jean Zay's GPFS; a 24-node cluster's shared storage is taken as slower).
    public var storageGBPerSecond: Double = 10
    /// Checkpoint interval, minutes; nil = Young/Daly optimum from the checkpoint write time and the job MTBF.
    public var checkpointIntervalMinutes: Double?
    /// Time between stages of a growth schedule, minutes; nil = read the old checkpoint + write the grown one
    /// at the storage bandwidth (FLM-101B grows "offline" and reloads, §2.3) plus one restart.
    public var growthTransitionMinutes: Double?
    /// Power usage effectiveness. Default 1.0: FLM-101B Table 3 counts GPU TDP only (1.01e5 h × 400 W = 40 MWh).
    public var pue: Double = 1.0
    /// Grid carbon intensity, kg CO2e per kWh. Default 0.65: implied by FLM-101B Table 3 (26 tCO2e / 40 MWh).
    public var gridKgCO2ePerKWh: Double = 0.65

    public init() {}
}

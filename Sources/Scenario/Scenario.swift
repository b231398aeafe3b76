import ModelKit
import Hardware

/// The cluster a scenario runs on.
public struct Cluster: Sendable, Equatable {
    public var gpu: GPUSpec
    public var nodes: Int
    public var gpusPerNode: Int
    public var pricePerGPUHourUSD: Double
    /// System profile (node layout and efficiency knobs) in Data/hardware/systems.yaml; nil = the GPU's default.
    public var system: String?
    /// GPU memory kept back for the CUDA context, NCCL buffers and fragmentation when checking fit.
    public var memoryReserveGiB: Double
    /// The cluster's own inter-node network, when it differs from the system profile's (`cluster.network`).
    public var network: NodeNetwork? = nil

    public init(gpu: GPUSpec, nodes: Int, gpusPerNode: Int, pricePerGPUHourUSD: Double, system: String?,
                memoryReserveGiB: Double) {
        self.gpu = gpu; self.nodes = nodes; self.gpusPerNode = gpusPerNode; self.pricePerGPUHourUSD = pricePerGPUHourUSD
        self.system = system; self.memoryReserveGiB = memoryReserveGiB
    }

    public var gpus: Int { nodes * gpusPerNode }

    /// The system profile with this cluster's network, when it states one.
    public func applyNetwork(to system: SystemProfile) -> SystemProfile {
        guard let network else { return system }
        var s = system
        s.nicsPerNode = network.nicsPerNode
        s.nicGbitPerSecond = network.gbitPerSecond
        return s
    }
    public var usableMemoryBytes: Double { (gpu.memoryGiB - memoryReserveGiB) * 1024 * 1024 * 1024 }
}

/// NICs per node and the rate of each: the network a user's cluster actually has (e.g. 4 × 200 Gb/s instead of a
/// DGX's 8 × 200 Gb/s).
public struct NodeNetwork: Sendable, Equatable, Codable {
    public var nicsPerNode: Int
    public var gbitPerSecond: Double
    public init(nicsPerNode: Int, gbitPerSecond: Double) { self.nicsPerNode = nicsPerNode; self.gbitPerSecond = gbitPerSecond }
}

/// Learning-rate schedule of a stage: linear warm-up, then decay to `minimum`.
public struct LRSchedule: Sendable, Equatable {
    public enum Decay: String, Sendable, CaseIterable { case cosine, linear, constant }
    public var peak: Double
    public var minimum: Double
    public var warmupSamples: Double
    public var decay: Decay
}

/// One training stage: a model shape trained on some tokens with a batch and a parallel layout.
public struct Stage: Sendable, Equatable {
    public var name: String
    public var model: ModelArchitecture
    public var tokens: Double
    /// Global batch in sequences.
    public var globalBatch: Int
    public var layout: ParallelLayout
    public var lrSchedule: LRSchedule?
    /// Which row of the paper's reference table this stage corresponds to (defaults to `name`).
    public var referenceStage: String
    public var assumptions: [String]
    /// Rank order of the placement ("tp-dp-pp", Megatron-LM's default, or "tp-pp-dp").
    public var rankOrder: RankOrder
    /// Overlap the data-parallel gradient reduction with the backward pass (Megatron `--overlap-grad-reduce`).
    public var overlapGradReduce: Bool

    public init(name: String, model: ModelArchitecture, tokens: Double, globalBatch: Int, layout: ParallelLayout,
                lrSchedule: LRSchedule? = nil, referenceStage: String? = nil, assumptions: [String] = [],
                rankOrder: RankOrder = .tpDpPp, overlapGradReduce: Bool = true) {
        self.name = name; self.model = model; self.tokens = tokens; self.globalBatch = globalBatch; self.layout = layout
        self.lrSchedule = lrSchedule; self.referenceStage = referenceStage ?? name; self.assumptions = assumptions
        self.rankOrder = rankOrder; self.overlapGradReduce = overlapGradReduce
    }

    /// Tokens a stage may train on: up to 10^16 (700× Llama 3's 15T), so step counts always fit in an Int.
    public static let tokenRange = 1.0...1e16

    public var batchTokens: Double { Double(globalBatch) * Double(model.sequenceLength) }
    /// Optimizer steps: tokens / batch tokens, rounded up.
    public var steps: Int { Int((tokens / batchTokens).rounded(.up)) }
    public var microBatches: Int { layout.microBatches(globalBatch: globalBatch) }
}

/// A scenario file: a cluster and a list of stages (one stage = training from scratch; several = growth).
public struct Scenario: Sendable, Equatable {
    public var name: String
    public var description: String
    public var path: String
    /// The file's text as read, stored with every result.
    public var source: String
    public var cluster: Cluster
    public var stages: [Stage]
    /// Key of the paper in `Data/reference` this scenario reproduces, if any.
    public var reference: String?
    public var assumptions: [String]
    /// Reliability, checkpoint, transition and energy parameters of the cost model.
    public var run: RunSettings = RunSettings()

    public init(name: String, description: String, path: String, source: String, cluster: Cluster, stages: [Stage],
                reference: String? = nil, assumptions: [String] = [], run: RunSettings = RunSettings()) {
        self.name = name; self.description = description; self.path = path; self.source = source; self.cluster = cluster
        self.stages = stages; self.reference = reference; self.assumptions = assumptions; self.run = run
    }

    public var totalTokens: Double { stages.map(\.tokens).reduce(0, +) }
    public func stage(named name: String) -> Stage? {
        stages.first { $0.name.lowercased() == name.lowercased() }
    }
}

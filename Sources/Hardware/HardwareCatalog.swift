import Foundation
import ConfigFile

/// The GPU catalog in `Data/hardware/gpus.yaml`.
public struct HardwareCatalog: Sendable {
    public var gpus: [GPUSpec]

    public init(gpus: [GPUSpec]) { self.gpus = gpus }

    /// Looks a GPU up by name, ignoring case.
    public func gpu(named name: String) -> GPUSpec? {
        gpus.first { $0.name.lowercased() == name.lowercased() }
    }

    public var names: [String] { gpus.map(\.name) }

    public static func load(path: String) throws -> HardwareCatalog {
        let doc = try ConfigDocument(path: path)
        guard let root = doc.rootMapping() else { try doc.throwIfErrors(); return HardwareCatalog(gpus: []) }
        let gpus = readGPUs(root)
        root.rejectUnknownKeys()
        try doc.throwIfErrors()
        return HardwareCatalog(gpus: gpus)
    }

    /// The `gpus:` list of a catalog file (or of a system file that describes its own device, like the profile
    /// `growthbench calibrate` writes).
    static func readGPUs(_ root: MappingReader) -> [GPUSpec] {
        var gpus: [GPUSpec] = []
        for entry in root.mappings("gpus") {
            let name = entry.string("name")
            let spec = GPUSpec(
                name: name ?? "",
                memoryGiB: entry.double("memory_gib", in: 0.001...100_000, "a memory size in GiB") ?? 0,
                peakTFLOPs: entry.double("peak_bf16_tflops", in: 1e-6...1e6, "a peak rate in TFLOP/s") ?? 0,
                memoryBandwidthGBs: entry.double("hbm_gb_per_s", in: 1e-3...1e6, "a memory bandwidth in GB/s") ?? 0,
                nvlinkGBs: entry.double("nvlink_gb_per_s", in: 1e-3...1e6, "a GPU-to-GPU bandwidth in GB/s") ?? 0,
                tdpWatts: entry.double("tdp_watts", in: 1...100_000, "a power in watts") ?? 0,
                sources: entry.strings("sources") ?? [],
                peakFP8TFLOPs: entry.optionalDouble("peak_fp8_tflops", in: 1e-6...1e6, "a dense FP8 peak rate in TFLOP/s"))
            if spec.sources.isEmpty { entry.report("sources", "expected at least one source URL for the figures") }
            _ = entry.optionalString("notes")
            entry.rejectUnknownKeys()
            if let name, gpus.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                entry.report("name", "expected a unique GPU name, '\(name)' appears twice")
            }
            gpus.append(spec)
        }
        return gpus
    }

}

/// System profiles (node layouts and efficiency knobs) from `Data/hardware/systems.yaml`.
public struct SystemCatalog: Sendable {
    public var systems: [SystemProfile]

    public init(systems: [SystemProfile]) { self.systems = systems }

    public func system(named name: String) -> SystemProfile? {
        systems.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The first system built from `gpu` (the default when a scenario names no system).
    public func defaultSystem(for gpu: String) -> SystemProfile? {
        systems.first { $0.gpu.name.lowercased() == gpu.lowercased() }
    }

    public static func load(path: String, gpus: HardwareCatalog) throws -> SystemCatalog {
        let doc = try ConfigDocument(path: path)
        guard let root = doc.rootMapping() else { try doc.throwIfErrors(); return SystemCatalog(systems: []) }
        // A system file may describe its own devices (the local profile `growthbench calibrate` writes).
        let ownDevices = root.node("gpus") == nil ? [] : HardwareCatalog.readGPUs(root)
        let gpus = HardwareCatalog(gpus: ownDevices + gpus.gpus)
        var systems: [SystemProfile] = []
        for r in root.mappings("systems") {
            let name = r.string("name") ?? ""
            let gpuName = r.string("gpu")
            let gpu = gpuName.flatMap { gpus.gpu(named: $0) }
            if let gpuName, gpu == nil { r.report("gpu", "expected a GPU from gpus.yaml, found '\(gpuName)'") }
            let perNode = r.int("gpus_per_node", in: 1...64, "a number of GPUs per node") ?? 0
            let nics = r.int("nics_per_node", in: 1...64, "a number of NICs per node") ?? 0
            let nicRate = r.double("nic_gbit_per_s", in: 0.001...100_000, "a NIC rate in Gb/s") ?? 0
            let knobs = r.mapping("efficiency").flatMap(readKnobs)
            let stackName = r.string("stack", default: TrainingStack.megatron.rawValue)
            let stack = TrainingStack(rawValue: stackName)
            if stack == nil {
                r.report("stack", "expected one of \(TrainingStack.allCases.map(\.rawValue).joined(separator: ", ")), found '\(stackName)'")
            }
            let threads = r.optionalInt("threads", in: 1...1024, "a thread count")
            let sources = r.strings("sources") ?? []
            if sources.isEmpty { r.report("sources", "expected at least one source for the figures") }
            _ = r.optionalString("notes")
            r.rejectUnknownKeys()
            if let gpu, let knobs {
                systems.append(SystemProfile(name: name, gpu: gpu, gpusPerNode: perNode, nicsPerNode: nics,
                                             nicGbitPerSecond: nicRate, efficiency: knobs, sources: sources,
                                             stack: stack ?? .megatron, threads: threads))
            }
        }
        root.rejectUnknownKeys()
        try doc.throwIfErrors()
        return SystemCatalog(systems: systems)
    }

    /// A `[[GFLOP, fraction], …]` curve; nil (and an error) when malformed.
    private static func readCurve(_ r: MappingReader, _ key: String) -> [(gflop: Double, fraction: Double)]? {
        guard let n = r.node(key) else { return nil }
        let pairs = n.sequence?.compactMap { item -> (Double, Double)? in
            guard let s = item.sequence, s.count == 2, let g = Parse.double(s[0]), let f = Parse.double(s[1]) else { return nil }
            return (g, f)
        }
        guard let pairs, pairs.count == n.sequence?.count, !pairs.isEmpty,
              pairs.allSatisfy({ $0.0 > 0 && $0.0 <= 1e12 && $0.1 >= 1e-6 && $0.1 <= 1 }),
              Set(pairs.map(\.0)).count == pairs.count else {
            r.report(key, "expected a list of [GFLOP, fraction] pairs with distinct GFLOP in (0, 1e12] and fraction in [1e-6, 1]")
            return nil
        }
        return pairs.map { (gflop: $0.0, fraction: $0.1) }
    }

    private static func readKnobs(_ r: MappingReader) -> EfficiencyKnobs? {
        if r.node("gemm_curve") == nil {
            r.report("gemm_curve", "missing required field (expected a list of [GFLOP, fraction] pairs)")
        }
        let curve = readCurve(r, "gemm_curve") ?? []
        let attention = readCurve(r, "attention_curve")
        let flash = readCurve(r, "flash_attention_curve")
        let cudnn = readCurve(r, "cudnn_attention_curve")
        let fp8 = r.optionalDouble("fp8_gemm_ratio", in: 0.01...2, "a ratio of FP8 to bf16 GEMM efficiency")
        func fraction(_ key: String) -> Double { r.double(key, in: 1e-6...1, "a fraction") ?? 0 }
        func seconds(_ key: String) -> Double { (r.double(key, in: 0...1e9, "a time in microseconds") ?? 0) * 1e-6 }
        let knobs = EfficiencyKnobs(
            gemm: EfficiencyCurve(points: curve), gemmScale: fraction("gemm_scale"), hbmFraction: fraction("hbm_fraction"),
            nvlinkBusFraction: fraction("nvlink_bus_fraction"), networkBusFraction: fraction("network_bus_fraction"),
            nvlinkLatency: seconds("nvlink_latency_us"), networkLatency: seconds("network_latency_us"),
            kernelLaunch: seconds("kernel_launch_us"),
            kernelsPerLayerForward: r.double("kernels_per_layer_forward", in: 0...1e6, "a kernel count") ?? 0,
            attentionCurve: attention.map(EfficiencyCurve.init(points:)),
            flashAttentionCurve: flash.map(EfficiencyCurve.init(points:)),
            cudnnAttentionCurve: cudnn.map(EfficiencyCurve.init(points:)),
            fp8GemmRatio: fp8,
            stepOverhead: r.node("step_overhead_us") == nil ? 0 : seconds("step_overhead_us"))
        r.rejectUnknownKeys()
        return curve.isEmpty ? nil : knobs
    }
}

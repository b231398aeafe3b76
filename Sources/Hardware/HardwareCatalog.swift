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
        var gpus: [GPUSpec] = []
        for entry in root.mappings("gpus") {
            let name = entry.string("name")
            let spec = GPUSpec(
                name: name ?? "",
                memoryGiB: positive(entry, "memory_gib"),
                peakTFLOPs: positive(entry, "peak_bf16_tflops"),
                memoryBandwidthGBs: positive(entry, "hbm_gb_per_s"),
                nvlinkGBs: positive(entry, "nvlink_gb_per_s"),
                tdpWatts: positive(entry, "tdp_watts"),
                sources: entry.strings("sources") ?? [])
            if spec.sources.isEmpty { entry.report("sources", "expected at least one source URL for the figures") }
            _ = entry.optionalString("notes")
            entry.rejectUnknownKeys()
            if let name, gpus.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                entry.report("name", "expected a unique GPU name, '\(name)' appears twice")
            }
            gpus.append(spec)
        }
        root.rejectUnknownKeys()
        try doc.throwIfErrors()
        return HardwareCatalog(gpus: gpus)
    }

    private static func positive(_ r: MappingReader, _ key: String) -> Double {
        guard let v = r.double(key) else { return 0 }
        if v <= 0 { r.report(key, "expected a positive number, found \(v)") }
        return v
    }
}

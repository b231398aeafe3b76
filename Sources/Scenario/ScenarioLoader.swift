import Foundation
import ConfigFile
import ModelConfig
import ModelKit
import Hardware

/// Loads a scenario YAML file and validates it against the hardware catalog. Every problem is reported
/// with the file, line, field path and what was expected (`ConfigErrors`).
public enum ScenarioLoader {
    public static func load(path: String, catalog: HardwareCatalog) throws -> Scenario {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigErrors([ConfigError(file: path, line: nil, field: "",
                                            message: "cannot read the scenario file (\(error.localizedDescription))")])
        }
        return try parse(text: text, path: path, catalog: catalog)
    }

    /// Top-level sections of a mini-trainer schedule (`Scenarios/mini/growth.yaml`), read by `TrainConfigLoader`.
    public static let trainerSections = ["seed", "threads", "parametrization", "data", "optimizer", "training"]
    /// Stage sections read by `TrainConfigLoader` only.
    public static let trainerStageSections = ["growth"]
    /// Sections only the simulator and cost model read; the trainer accepts them unread.
    public static let simulatorSections = ["cluster", "run", "reference", "assumptions"]
    public static let simulatorStageSections = ["parallel", "reference_stage", "assumptions"]

    public static func parse(text: String, path: String, catalog: HardwareCatalog) throws -> Scenario {
        let doc = try ConfigDocument(text: text, file: path)
        guard let root = doc.rootMapping() else { try doc.throwIfErrors(); fatalError("unreachable") }

        let name = root.string("name") ?? ""
        let description = root.string("description", default: "")
        let reference = root.optionalString("reference")
        let assumptions = root.strings("assumptions") ?? []
        let cluster = root.mapping("cluster").flatMap { readCluster($0, catalog: catalog) }
        let run = root.optionalMapping("run").map(readRun) ?? RunSettings()

        var stages: [Stage] = []
        var previous: ModelArchitecture?
        for reader in root.mappings("stages") {
            let stage = readStage(reader, previousModel: previous, cluster: cluster)
            if let stage {
                if stages.contains(where: { $0.name == stage.name }) {
                    reader.report("name", "expected a unique stage name, '\(stage.name)' is used twice")
                }
                stages.append(stage)
                previous = stage.model
            }
        }
        // A growth schedule that the trainer runs carries its training sections; the trainer's loader reads them.
        root.accept(trainerSections)
        root.rejectUnknownKeys()
        try doc.throwIfErrors()
        guard let cluster else { throw ConfigErrors(doc.errors) }
        return Scenario(name: name, description: description, path: path, source: text, cluster: cluster,
                        stages: stages, reference: reference, assumptions: assumptions, run: run)
    }

    private static func readCluster(_ r: MappingReader, catalog: HardwareCatalog) -> Cluster? {
        let gpuName = r.string("gpu")
        let nodes = r.int("nodes")
        let perNode = r.int("gpus_per_node")
        let price = r.double("price_per_gpu_hour_usd")
        let reserve = r.double("memory_reserve_gib", default: 2)
        let system = r.optionalString("system")
        r.rejectUnknownKeys()
        var gpu: GPUSpec?
        if let gpuName {
            gpu = catalog.gpu(named: gpuName)
            if gpu == nil { r.report("gpu", "expected a GPU from Data/hardware/gpus.yaml (\(catalog.names.joined(separator: ", "))), found '\(gpuName)'") }
        }
        if let nodes, nodes <= 0 { r.report("nodes", "expected a positive integer, found \(nodes)") }
        if let perNode, perNode <= 0 { r.report("gpus_per_node", "expected a positive integer, found \(perNode)") }
        if let price, !(price > 0) { r.report("price_per_gpu_hour_usd", "expected a positive price in USD, found \(price)") }
        if let gpu, reserve < 0 || reserve >= gpu.memoryGiB {
            r.report("memory_reserve_gib", "expected between 0 and the GPU's \(gpu.memoryGiB) GiB, found \(reserve)")
        }
        guard let gpu, let nodes, let perNode, let price, nodes > 0, perNode > 0, price > 0 else { return nil }
        return Cluster(gpu: gpu, nodes: nodes, gpusPerNode: perNode, pricePerGPUHourUSD: price, system: system,
                       memoryReserveGiB: reserve)
    }

    private static func readStage(_ r: MappingReader, previousModel: ModelArchitecture?, cluster: Cluster?) -> Stage? {
        let name = r.string("name")
        let referenceStage = r.optionalString("reference_stage")
        let assumptions = r.strings("assumptions") ?? []
        let model = r.mapping("model").flatMap { readModel($0, previous: previousModel) }
        let tokens = r.quantity("tokens")
        if let tokens, !(tokens > 0) { r.report("tokens", "expected a positive number of tokens, found \(tokens)") }

        let sequences = r.optionalInt("batch_sequences")
        let batchTokens = r.optionalQuantity("batch_tokens")
        var globalBatch: Int?
        switch (sequences, batchTokens) {
        case (nil, nil):
            r.report("batch_sequences", "missing: give the global batch as batch_sequences or batch_tokens")
        case (.some, .some):
            r.report("batch_tokens", "expected only one of batch_sequences and batch_tokens, found both")
        case let (.some(seqs), nil):
            if seqs <= 0 { r.report("batch_sequences", "expected a positive integer, found \(seqs)") } else { globalBatch = seqs }
        case let (nil, .some(toks)):
            if let model, toks > 0, toks.truncatingRemainder(dividingBy: Double(model.sequenceLength)) == 0 {
                globalBatch = Int(toks) / model.sequenceLength
            } else if let model {
                r.report("batch_tokens", "expected a positive multiple of seq_length (\(model.sequenceLength)), found \(Int(toks))")
            }
        }

        let lr = r.optionalMapping("lr").flatMap { readLR($0).schedule }
        let parallelReader = r.mapping("parallel")
        let layout = parallelReader.flatMap(readLayout)
        let rankOrder = parallelReader?.string("rank_order", default: "tp-dp-pp") ?? "tp-dp-pp"
        if !["tp-dp-pp", "tp-pp-dp"].contains(rankOrder) {
            parallelReader?.report("rank_order", "expected one of tp-dp-pp, tp-pp-dp, found '\(rankOrder)'")
        }
        let overlap = parallelReader?.bool("overlap_grad_reduce", default: true) ?? true
        parallelReader?.rejectUnknownKeys()
        r.accept(trainerStageSections)
        r.rejectUnknownKeys()

        guard let name, let model, let tokens, tokens > 0, let globalBatch, let layout else { return nil }
        var layoutOK = true
        if let parallel = r.node("parallel") {
            for p in layout.problems(for: model, globalBatch: globalBatch) {
                r.document.report(parallel.mapping?[p.field] ?? parallel, "\(r.field("parallel")).\(p.field)", "expected \(p.expected)")
                layoutOK = false
            }
        }
        if let cluster, layout.gpus != cluster.gpus {
            r.report("parallel", "expected tp × pp × dp to equal the cluster's \(cluster.gpus) GPUs (\(cluster.nodes) nodes × \(cluster.gpusPerNode)), found \(layout.tensor) × \(layout.pipeline) × \(layout.data) = \(layout.gpus)")
            layoutOK = false
        }
        if let cluster, layoutOK {
            let memory = MemoryEstimate(model: model, layout: layout, globalBatch: globalBatch)
            let peak = memory.peak
            if peak.total > cluster.usableMemoryBytes {
                let gib = { (x: Double) in String(format: "%.1f", x / 1_073_741_824) }
                r.report("parallel", "expected a layout that fits in \(cluster.gpu.name) memory (\(gib(cluster.usableMemoryBytes)) GiB usable = \(gib(cluster.gpu.memoryBytes)) − \(cluster.memoryReserveGiB) reserve), but pipeline stage \(peak.stage) needs \(gib(peak.total)) GiB (weights \(gib(peak.weights)), grads \(gib(peak.gradients)), optimizer \(gib(peak.optimizer)), activations \(gib(peak.activations)), logits \(gib(peak.logits))); try more tp/pp, recompute, sequence_parallel or distributed_optimizer")
            }
        }
        return Stage(name: name, model: model, tokens: tokens, globalBatch: globalBatch, layout: layout,
                     lrSchedule: lr, referenceStage: referenceStage ?? name, assumptions: assumptions,
                     rankOrder: rankOrder, overlapGradReduce: overlap)
    }

    /// Reads a model shape. Fields left out inherit from the previous stage's model (growth schedules
    /// usually change a few dimensions); the first stage must give every required field.
    private static func readModel(_ r: MappingReader, previous: ModelArchitecture?) -> ModelArchitecture? {
        ModelSection.read(r, previous: previous, defaultTied: true)
    }

    private static func readLayout(_ r: MappingReader) -> ParallelLayout? {
        let tp = r.int("tp"), pp = r.int("pp"), dp = r.int("dp")
        let micro = r.int("micro_batch", default: 1)
        let virtual = r.int("virtual_stages", default: 1)
        let sp = r.bool("sequence_parallel", default: false)
        let distOpt = r.bool("distributed_optimizer", default: false)
        let recompute = r.choice("recompute", default: Recompute.none)
        let schedule = r.choice("schedule", default: virtual > 1 ? PipelineSchedule.interleaved : .oneFOneB)
        guard let tp, let pp, let dp else { return nil }
        return ParallelLayout(tensor: tp, pipeline: pp, data: dp, microBatch: micro, virtualStages: virtual,
                              sequenceParallel: sp, distributedOptimizer: distOpt, recompute: recompute, schedule: schedule)
    }

    private static func readRun(_ r: MappingReader) -> RunSettings {
        var s = RunSettings()
        func positive(_ key: String, _ value: Double?) -> Double? {
            guard let value else { return nil }
            if !(value > 0) { r.report(key, "expected a positive number, found \(value)"); return nil }
            return value
        }
        s.failures = r.bool("failures", default: s.failures)
        s.nodeMTBFHours = positive("node_mtbf_hours", r.optionalDouble("node_mtbf_hours")) ?? s.nodeMTBFHours
        if let v = r.optionalDouble("restart_minutes") {
            if v < 0 { r.report("restart_minutes", "expected a non-negative number of minutes, found \(v)") } else { s.restartMinutes = v }
        }
        s.checkpointBytesPerParameter = positive("checkpoint_bytes_per_param", r.optionalDouble("checkpoint_bytes_per_param")) ?? s.checkpointBytesPerParameter
        s.storageGBPerSecond = positive("storage_gb_per_s", r.optionalDouble("storage_gb_per_s")) ?? s.storageGBPerSecond
        s.checkpointIntervalMinutes = positive("checkpoint_interval_minutes", r.optionalDouble("checkpoint_interval_minutes"))
        if let v = r.optionalDouble("growth_transition_minutes") {
            if v < 0 { r.report("growth_transition_minutes", "expected a non-negative number of minutes, found \(v)") } else { s.growthTransitionMinutes = v }
        }
        s.pue = r.optionalDouble("pue").flatMap { v in
            if v < 1 { r.report("pue", "expected a power usage effectiveness ≥ 1, found \(v)"); return nil }
            return v
        } ?? s.pue
        if let v = r.optionalDouble("grid_kg_co2e_per_kwh") {
            if v < 0 { r.report("grid_kg_co2e_per_kwh", "expected a non-negative intensity, found \(v)") } else { s.gridKgCO2ePerKWh = v }
        }
        r.rejectUnknownKeys()
        return s
    }

    /// A stage's `lr:` section: peak, min, warmup_samples, decay. The schedule is nil without a peak (a growth
    /// stage of a µP schedule takes its LR from the parametrisation and gives only its re-warmup).
    public static func readLR(_ r: MappingReader) -> (schedule: LRSchedule?, peak: Double?, minimum: Double?, warmupSamples: Double, decay: LRSchedule.Decay) {
        let peak = r.optionalDouble("peak")
        let minimum = r.optionalDouble("min")
        let warmup = r.optionalQuantity("warmup_samples") ?? 0
        let decay = r.choice("decay", default: LRSchedule.Decay.cosine)
        r.rejectUnknownKeys()
        if let peak, !(peak > 0) { r.report("peak", "expected a positive learning rate, found \(peak)") }
        if let minimum, minimum < 0 { r.report("min", "expected a non-negative learning rate, found \(minimum)") }
        if let peak, let minimum, minimum > peak { r.report("min", "expected at most the peak (\(peak)), found \(minimum)") }
        if warmup < 0 { r.report("warmup_samples", "expected a non-negative number of samples, found \(warmup)") }
        let valid = peak.map { $0 > 0 && (minimum ?? 0) >= 0 && (minimum ?? 0) <= $0 } ?? false
        let schedule = valid ? LRSchedule(peak: peak!, minimum: minimum ?? 0, warmupSamples: warmup, decay: decay) : nil
        return (schedule, peak, minimum, warmup, decay)
    }
}

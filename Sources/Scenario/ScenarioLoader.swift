import Foundation
import ConfigFile
import ModelConfig
import ModelKit
import Hardware

/// Loads a scenario YAML file and validates it against the hardware catalog. Every problem is reported
/// with the file, line, field path and what was expected (`ConfigErrors`).
public enum ScenarioLoader {
    public static func load(path: String, catalog: HardwareCatalog) throws -> Scenario {
        let text = try ConfigDocument.readText(path: path)
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

        let name = root.fileName("name") ?? ""
        let description = root.string("description", default: "")
        let reference = root.optionalString("reference")
        let assumptions = root.strings("assumptions") ?? []
        let cluster = root.mapping("cluster").flatMap { readCluster($0, catalog: catalog) }
        let run = root.optionalMapping("run").map(readRun) ?? RunSettings()

        var stages: [Stage] = []
        var previous: ModelArchitecture?
        var previousUnreadable = false
        for reader in root.mappings("stages") {
            let (stage, model) = readStage(reader, previousModel: previous, previousUnreadable: previousUnreadable, cluster: cluster)
            // Later stages inherit from this model; when it had errors they are not reported again as missing.
            previous = model
            previousUnreadable = previousUnreadable || model == nil
            if let stage {
                if stages.contains(where: { $0.name == stage.name }) {
                    reader.report("name", "expected a unique stage name, '\(stage.name)' is used twice")
                }
                stages.append(stage)
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
        let nodes = r.int("nodes", in: Limits.nodes, "a number of nodes")
        let perNode = r.int("gpus_per_node", in: Limits.gpusPerNode, "a number of GPUs per node")
        let price = r.double("price_per_gpu_hour_usd", in: Limits.pricePerGPUHour, "a price in USD per GPU-hour")
        let reserve = r.double("memory_reserve_gib", in: 0...1024, "a reserve in GiB", default: 2)
        let system = r.optionalString("system")
        var network: NodeNetwork?
        if let n = r.optionalMapping("network") {
            let nics = n.int("nics_per_node", in: 1...64, "a number of NICs per node")
            let rate = n.double("gbit_per_s", in: 0.001...100_000, "a NIC rate in Gb/s")
            n.rejectUnknownKeys()
            if let nics, let rate { network = NodeNetwork(nicsPerNode: nics, gbitPerSecond: rate) }
        }
        r.rejectUnknownKeys()
        var gpu: GPUSpec?
        if let gpuName {
            gpu = catalog.gpu(named: gpuName)
            if gpu == nil { r.report("gpu", "expected a GPU from Data/hardware/gpus.yaml (\(catalog.names.joined(separator: ", "))), found '\(gpuName)'") }
        }
        if let gpu, reserve < 0 || reserve >= gpu.memoryGiB {
            r.report("memory_reserve_gib", "expected between 0 and the GPU's \(gpu.memoryGiB) GiB, found \(reserve)")
        }
        guard let gpu, let nodes, let perNode, let price, nodes > 0, perNode > 0, price > 0 else { return nil }
        var cluster = Cluster(gpu: gpu, nodes: nodes, gpusPerNode: perNode, pricePerGPUHourUSD: price, system: system,
                              memoryReserveGiB: reserve)
        cluster.network = network
        return cluster
    }

    private static func readStage(_ r: MappingReader, previousModel: ModelArchitecture?, previousUnreadable: Bool,
                                  cluster: Cluster?) -> (Stage?, ModelArchitecture?) {
        let model = r.mapping("model").flatMap { ModelSection.read($0, previous: previousModel, defaultTied: true,
                                                                   previousUnreadable: previousUnreadable) }
        return (readStage(r, model: model, cluster: cluster), model)
    }

    private static func readStage(_ r: MappingReader, model: ModelArchitecture?, cluster: Cluster?) -> Stage? {
        let name = r.fileName("name")
        let referenceStage = r.optionalString("reference_stage")
        let assumptions = r.strings("assumptions") ?? []
        let tokens = r.quantity("tokens", in: Stage.tokenRange, "a number of tokens")
        let sequences = r.optionalInt("batch_sequences", in: Limits.batchSequences, "a global batch in sequences")
        let batchTokens = r.optionalQuantity("batch_tokens", in: 1...Double(Limits.batchSequences.upperBound) * 4096, "a global batch in tokens")
        var globalBatch: Int?
        switch (sequences, batchTokens) {
        case (nil, nil):
            // (A value that was present but out of range has its own error already.)
            if !r.has("batch_sequences") && !r.has("batch_tokens") {
                r.report("batch_sequences", "missing: give the global batch as batch_sequences or batch_tokens")
            }
        case (.some, .some):
            r.report("batch_tokens", "expected only one of batch_sequences and batch_tokens, found both")
        case let (.some(seqs), nil):
            globalBatch = seqs
        case let (nil, .some(toks)):
            if let model, toks.truncatingRemainder(dividingBy: Double(model.sequenceLength)) == 0 {
                globalBatch = Int(toks) / model.sequenceLength
            } else if let model {
                r.report("batch_tokens", "expected a multiple of seq_length (\(model.sequenceLength)), found \(MappingReader.format(toks))")
            }
        }

        let lr = r.optionalMapping("lr").flatMap { readLR($0).schedule }
        let parallelReader = r.mapping("parallel")
        let layout = parallelReader.flatMap { readLayout($0, model: model) }
        let rankOrder = parallelReader?.choice("rank_order", default: RankOrder.tpDpPp) ?? .tpDpPp
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
        if let cluster, layout.precision == .fp8, cluster.gpu.peakFP8TFLOPs == nil {
            r.report("parallel.precision", "expected bf16: \(cluster.gpu.name) has no FP8 tensor cores (no peak_fp8_tflops in Data/hardware/gpus.yaml)")
            layoutOK = false
        }
        if let cluster, layout.gpus != cluster.gpus {
            let cpFactor = layout.contextParallel > 1 ? " × \(layout.contextParallel)" : ""
            r.report("parallel", "expected tp × pp × dp\(cpFactor.isEmpty ? "" : " × cp") to equal the cluster's \(cluster.gpus) GPUs (\(cluster.nodes) nodes × \(cluster.gpusPerNode)), found \(layout.tensor) × \(layout.pipeline) × \(layout.data)\(cpFactor) = \(layout.gpus)")
            layoutOK = false
        }
        if let cluster, layoutOK {
            let memory = MemoryEstimate(model: model, layout: layout, globalBatch: globalBatch)
            if let over = memory.overflow(usableBytes: cluster.usableMemoryBytes) {
                r.report("parallel", "expected a layout that fits in \(cluster.gpu.name) memory (\(over.usableGiB) GiB usable = \(String(format: "%.1f", cluster.gpu.memoryGiB)) − \(cluster.memoryReserveGiB) reserve), but \(over); try more tp/pp/cp, recompute, sequence_parallel, attention: flash, distributed_optimizer or zero_stage")
            }
        }
        return Stage(name: name, model: model, tokens: tokens, globalBatch: globalBatch, layout: layout,
                     lrSchedule: lr, referenceStage: referenceStage ?? name, assumptions: assumptions,
                     rankOrder: rankOrder, overlapGradReduce: overlap)
    }

    private static func readLayout(_ r: MappingReader, model: ModelArchitecture?) -> ParallelLayout? {
        let tp = r.int("tp", in: Limits.tensorParallel, "a tensor-parallel degree")
        let pp = r.int("pp", in: Limits.pipelineParallel, "a pipeline-parallel degree")
        let dp = r.int("dp", in: Limits.dataParallel, "a data-parallel degree")
        let micro = r.int("micro_batch", in: Limits.batchSequences, "a micro-batch in sequences", default: 1)
        let virtual = r.int("virtual_stages", in: Limits.pipelineParallel, "a number of virtual pipeline stages", default: 1)
        let sp = r.bool("sequence_parallel", default: false)
        let distOpt = r.bool("distributed_optimizer", default: false)
        let recompute = r.choice("recompute", default: Recompute.none)
        let cp = r.int("cp", in: Limits.contextParallel, "a context-parallel degree", default: 1)
        let zero = r.int("zero_stage", in: 0...3, "a ZeRO stage (0 none, 1 optimizer state, 2 + gradients, 3 + weights: FSDP)", default: 0)
        let shardGroup = r.optionalInt("shard_group", in: Limits.dataParallel, "a number of ranks per shard (HSDP), dividing dp × cp")
        let attention = r.choice("attention", default: AttentionKernel.standard)
        let precision = r.choice("precision", default: GEMMPrecision.bf16)
        let gradientReduce = r.choice("grad_reduce", default: ReducePrecision.fp32)
        let recomputeLayers = r.optionalInt("recompute_layers", in: 1...ModelArchitecture.limits["layers"]!.range.upperBound,
                                            "a number of layers per pipeline rank that recompute (with recompute: full)")
        let schedule = r.choice("schedule", default: virtual > 1 ? PipelineSchedule.interleaved : .oneFOneB)
        // Uneven pipelines: an explicit list, or Megatron-LM's first/last-stage layer counts.
        let layerRange = ModelArchitecture.limits["layers"]!.range
        let explicit = r.optional("stage_layers", "a list of layer counts, one per pipeline rank") { n -> [Int]? in
            guard let seq = n.sequence else { return nil }
            let values = seq.compactMap(Parse.int)
            return values.count == seq.count && values.allSatisfy({ $0 >= 0 && $0 <= layerRange.upperBound }) ? values : nil
        }
        let first = r.optionalInt("first_stage_layers", in: 0...layerRange.upperBound, "a number of layers")
        let last = r.optionalInt("last_stage_layers", in: 0...layerRange.upperBound, "a number of layers")
        guard let tp, let pp, let dp else { return nil }
        var layout = ParallelLayout(tensor: tp, pipeline: pp, data: dp, microBatch: micro, virtualStages: virtual,
                                    sequenceParallel: sp, distributedOptimizer: distOpt, recompute: recompute, schedule: schedule)
        layout.contextParallel = cp
        layout.zeroStage = zero
        layout.shardGroup = shardGroup
        layout.attention = attention
        layout.recomputeLayers = recomputeLayers
        layout.precision = precision
        layout.gradientReduce = gradientReduce
        if let explicit {
            if first != nil || last != nil { r.report("stage_layers", "expected either stage_layers or first/last_stage_layers, found both") }
            layout.stageLayers = explicit
        } else if first != nil || last != nil, let model {
            switch ParallelLayout.stageLayers(layers: model.layers, pipeline: pp, first: first, last: last) {
            case .success(let stages): layout.stageLayers = stages
            case .failure(let p): r.report(p.field, "expected \(p.expected)"); return nil
            }
        }
        return layout
    }

    private static func readRun(_ r: MappingReader) -> RunSettings {
        var s = RunSettings()
        s.failures = r.bool("failures", default: s.failures)
        s.nodeMTBFHours = r.double("node_mtbf_hours", in: 1...1e8, "a node MTBF in hours", default: s.nodeMTBFHours)
        s.restartMinutes = r.double("restart_minutes", in: 0...10_080, "a restart time in minutes (at most a week)", default: s.restartMinutes)
        s.checkpointBytesPerParameter = r.double("checkpoint_bytes_per_param", in: 0.125...64, "a checkpoint size in bytes per parameter",
                                                 default: s.checkpointBytesPerParameter)
        s.storageGBPerSecond = r.double("storage_gb_per_s", in: 0.01...100_000, "a storage bandwidth in GB/s", default: s.storageGBPerSecond)
        s.checkpointIntervalMinutes = r.optionalDouble("checkpoint_interval_minutes", in: 1...525_600, "a checkpoint interval in minutes (at most a year)")
        s.growthTransitionMinutes = r.optionalDouble("growth_transition_minutes", in: 0...525_600, "a transition time in minutes (at most a year)")
        s.pue = r.double("pue", in: 1...3, "a power usage effectiveness", default: s.pue)
        s.gridKgCO2ePerKWh = r.double("grid_kg_co2e_per_kwh", in: 0...2, "a grid intensity in kg CO2e per kWh", default: s.gridKgCO2ePerKWh)
        r.rejectUnknownKeys()
        return s
    }

    /// A stage's `lr:` section: peak, min, warmup_samples, decay. The schedule is nil without a peak (a growth
    /// stage of a µP schedule takes its LR from the parametrisation and gives only its re-warmup).
    public static func readLR(_ r: MappingReader) -> (schedule: LRSchedule?, peak: Double?, minimum: Double?, warmupSamples: Double, decay: LRSchedule.Decay) {
        let peak = r.optionalDouble("peak", in: 0...10, "a learning rate")
        let minimum = r.optionalDouble("min", in: 0...10, "a learning rate")
        let warmup = r.optionalQuantity("warmup_samples", in: 0...1e13, "a number of warm-up samples") ?? 0
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

/// Ranges of the scenario's cluster and layout fields: generous beyond the largest published clusters (100K GPUs)
/// and small enough that GPU counts, batch × sequence products and step counts stay far inside 64-bit integers.
public enum Limits {
    public static let nodes = 1...100_000
    public static let gpusPerNode = 1...64
    public static let pricePerGPUHour = 0.01...1_000.0
    public static let batchSequences = 1...10_000_000
    public static let tensorParallel = 1...4_096
    public static let pipelineParallel = 1...2_048
    public static let dataParallel = 1...1_000_000
    public static let contextParallel = 1...1_024
}

import Foundation
import ConfigFile
import Corpus
import ModelKit

/// What `train --check` reports and what every training run verifies before it allocates (issue 18): the
/// config's corpora load, its step count and FLOPs, and its largest shape's buffers fit in this machine's memory.
public struct TrainingCheck: Codable, Sendable {
    public var name: String
    public var parameters: Int
    public var steps: Int
    public var tokens: Double
    /// Counted training FLOPs of the whole run (ModelKit's per-op count, as the trainer reports).
    public var trainingFLOPs: Double
    /// Resident bytes of the largest shape the run reaches, by buffer.
    public var buffers: [MiniGPTMemory.Buffer]
    public var residentBytes: Double
    public var availableBytes: Double
    public var domains: [String: Int]

    /// Share of available memory a run may take (the rest: the corpus in memory, the OS, the evaluator).
    public static let memoryShare = 0.8

    /// Loads the domains and checks memory; throws `ConfigErrors` naming `path` and the field.
    public static func run(_ config: TrainConfig, path: String, corporaDirectory: String?) throws -> TrainingCheck {
        let plan = config.plan
        let (buffers, total) = try requireMemory(config, plan: plan, path: path)
        let domains = try Trainer.loadDomains(config, corporaDirectory: corporaDirectory, configPath: path)
        return TrainingCheck(name: config.name, parameters: ParameterCount(plan.shape(afterStep: plan.totalSteps)).total,
                             steps: plan.totalSteps, tokens: plan.tokens(throughStep: plan.totalSteps),
                             trainingFLOPs: plan.flops(after: 0, through: plan.totalSteps), buffers: buffers,
                             residentBytes: total, availableBytes: availableMemoryBytes(),
                             domains: Dictionary(uniqueKeysWithValues: domains.map { ($0.name, $0.train.count + $0.validation.count) }))
    }

    /// The buffers of the run's largest shape, or an error naming the field that sizes the largest buffer when
    /// they exceed `memoryShare` of the memory available now.
    @discardableResult
    public static func requireMemory(_ config: TrainConfig, plan: TrainingPlan, path: String) throws -> ([MiniGPTMemory.Buffer], Double) {
        let shapes = Set(plan.shapeSegments.map(\.shape) + [plan.shape(afterStep: 0)])
        let micro = config.training.microBatch
        let largest = shapes.max { MiniGPTMemory.totalBytes($0, microBatch: micro) < MiniGPTMemory.totalBytes($1, microBatch: micro) }!
        let buffers = MiniGPTMemory.buffers(largest, microBatch: micro)
        let total = buffers.map(\.bytes).reduce(0, +)
        let available = availableMemoryBytes()
        if total > memoryShare * available {
            let biggest = buffers.max { $0.bytes < $1.bytes }!
            func gib(_ b: Double) -> String { String(format: b < 1e15 ? "%.1f GiB" : "%.2e GiB", b / 1_073_741_824) }
            throw ConfigErrors([ConfigError(file: path, line: nil, field: biggest.field,
                message: "expected a model whose buffers fit in memory: \(largest.layers) layers × \(largest.hidden) wide at micro_batch \(micro) needs \(gib(total)), the largest buffer being the \(biggest.name) at \(gib(biggest.bytes)), but \(gib(available)) is available here (\(Int(memoryShare * 100))% may be used); lower \(biggest.field), training.micro_batch or the widths")])
        }
        return (buffers, total)
    }

    /// MemAvailable from /proc/meminfo (Linux); the physical memory elsewhere.
    public static func availableMemoryBytes() -> Double {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kib = Double(line.split(separator: " ").dropFirst().first ?? "") {
            return kib * 1024
        }
        return Double(ProcessInfo.processInfo.physicalMemory)
    }
}

extension Trainer {
    /// The mixture's domains; a missing or unusable domain file is an error about the config's `data.mixture`.
    public static func loadDomains(_ config: TrainConfig, corporaDirectory: String?, configPath: String) throws -> [TextDomain] {
        let dir = corporaDirectory ?? config.data.directory
        return try config.data.mixture.map { entry in
            let domain: TextDomain
            do {
                domain = try TextDomain.load(name: entry.domain, directory: dir, validationFraction: config.data.validationFraction,
                                             seed: config.seed)
            } catch {
                throw ConfigErrors([ConfigError(file: configPath, line: nil, field: "data.mixture.\(entry.domain)", message: "\(error)")])
            }
            guard domain.train.count > config.model.sequenceLength + 1 else {
                throw ConfigErrors([ConfigError(file: configPath, line: nil, field: "model.seq_length",
                    message: "expected at most \(domain.train.count - 2) for domain \(entry.domain), whose training stream has \(domain.train.count) bytes (one window is seq_length + 1)")])
            }
            return domain
        }
    }
}

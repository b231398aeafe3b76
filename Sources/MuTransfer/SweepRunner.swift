import Foundation
import MiniGPT
import ResultStore
import Training

/// The outcome of one sweep point.
public struct PointResult: Sendable, Equatable, Codable {
    public var point: SweepPoint
    public var runId: Int64
    public var diverged: Bool
    /// Validation bits per byte under the mixture weighting at the end of the run (nil when diverged).
    public var validationBPB: Double?
    /// Mean training loss (nats/byte) over the last 10% of steps.
    public var finalTrainLoss: Double?
    public var trainSeconds: Double
}

/// Runs the points of a sweep that the results database does not hold yet: a killed sweep continues with
/// the missing runs only (an interrupted point resumes from its own checkpoint).
public final class SweepRunner {
    public let spec: SweepSpec
    public let base: TrainConfig
    public let source: String
    public let store: ResultStore
    public let outputDirectory: String
    public let corpora: String?
    public let command: String
    public let toolVersion: String
    /// Keys of the points this runner runs (one shard of the grid on a cluster); nil runs every point.
    public var only: Set<String>?

    public init(spec: SweepSpec, base: TrainConfig, source: String, store: ResultStore, outputDirectory: String,
                corpora: String?, command: String, toolVersion: String) {
        self.spec = spec; self.base = base; self.source = source; self.store = store
        self.outputDirectory = outputDirectory; self.corpora = corpora; self.command = command; self.toolVersion = toolVersion
    }

    /// Runs' stage label: the sweep, a fingerprint of the base config, and the point.
    public func stage(_ p: SweepPoint) -> String { "sweep/\(spec.name)/\(fingerprint)/\(p.key)" }

    /// Changes to the training config start a fresh sweep rather than mixing results.
    public var fingerprint: String { Self.fingerprint(of: source) }

    /// First 8 hex digits of the FNV-1a hash of a text (here: the sweep file plus the config it trains).
    public static func fingerprint(of text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16).prefix(8).description
    }

    /// Completed (or diverged) results already in the database, by point key.
    public func finished() throws -> [String: PointResult] {
        var out: [String: PointResult] = [:]
        let prefix = "sweep/\(spec.name)/\(fingerprint)/"
        for run in try store.runs(kind: .sweep) where run.stage?.hasPrefix(prefix) == true {
            guard run.status == .completed || run.status == .diverged, let json = run.resultJSON,
                  let summary = try? JSONDecoder().decode(TrainSummary.self, from: Data(json.utf8)) else { continue }
            let key = String(run.stage!.dropFirst(prefix.count))
            guard let point = spec.points.first(where: { $0.key == key }) else { continue }
            out[key] = Self.result(point, runId: run.id!, summary)
        }
        return out
    }

    static func result(_ point: SweepPoint, runId: Int64, _ s: TrainSummary) -> PointResult {
        let tail = s.curve.suffix(max(1, s.curve.count / 10))
        let train = tail.isEmpty ? nil : tail.map(\.loss).reduce(0, +) / Double(tail.count)
        let bpb = s.status == .completed ? (s.evaluation?.weighted.first { $0.name == "mixture" } ?? s.evaluation?.weighted.first)?.bitsPerByte : nil
        return PointResult(point: point, runId: runId, diverged: s.status == .diverged, validationBPB: bpb,
                           finalTrainLoss: s.status == .completed ? train : nil, trainSeconds: s.trainSeconds)
    }

    /// Runs every missing point; `progress` is called before each run with (done, total, point, ETA seconds).
    public func run(progress: (Int, Int, SweepPoint, Double?) -> Void) throws -> [PointResult] {
        var done = try finished()
        let points = spec.points.filter { only?.contains($0.key) ?? true }
        var spent = 0.0, ran = 0.0
        // Cost of a point grows with its FLOPs per token; use it to turn measured seconds into an ETA.
        func cost(_ p: SweepPoint) -> Double { Double(p.width * p.width) + 64 * Double(p.width) + 4096 }
        for p in points where done[p.key] == nil {
            let remaining = points.filter { done[$0.key] == nil }.map(cost).reduce(0, +)
            progress(done.count, points.count, p, ran > 0 ? spent / ran * remaining : nil)
            let config = try p.config(from: base)
            // Checkpoints live under the sweep's fingerprint: an edited sweep or config starts its points fresh
            // instead of meeting checkpoints another configuration wrote.
            let dir = ((outputDirectory as NSString).appendingPathComponent(fingerprint) as NSString)
                .appendingPathComponent(p.key.replacingOccurrences(of: "/", with: "_"))
            var options = TrainOptions(outputDirectory: dir)
            options.quiet = true
            options.corporaDirectory = corpora
            options.resume = FileManager.default.fileExists(atPath: options.checkpointPath)
            let trainer = try Trainer(config: config, options: options)
            let recorder = try RunRecorder(store: store, config: config, configPath: spec.trainPath, source: source,
                                           command: command, toolVersion: toolVersion, resumes: trainer.previousRunId,
                                           resumedStep: trainer.resumedFromStep, kind: .sweep, stage: stage(p))
            trainer.runId = recorder.runId
            let clock = Date()
            var summary = try trainer.run(recorder: recorder)
            summary.runId = recorder.runId
            try RecordedTraining.finish(recorder, summary, json: String(decoding: try JSONEncoder().encode(summary), as: UTF8.self),
                                        outputDirectory: dir)
            spent += Date().timeIntervalSince(clock)
            ran += cost(p)
            done[p.key] = Self.result(p, runId: recorder.runId, summary)
        }
        return points.compactMap { done[$0.key] }
    }
}

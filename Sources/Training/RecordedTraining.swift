import Foundation
import ResultStore

/// A training run recorded in the results database, or found there: `growthbench train` and
/// `compare --train` share it, so a finished run of the same experiment (config fingerprint and thread count,
/// `TrainConfig.runLabel`) is reused instead of trained again.
public enum RecordedTraining {
    /// The latest completed run of this experiment, with its summary.
    public static func finished(_ config: TrainConfig, in store: ResultStore) throws -> (summary: TrainSummary, runId: Int64)? {
        for run in try store.runs(kind: .train).reversed() where run.stage == config.runLabel && run.status == .completed {
            guard let json = run.resultJSON,
                  let summary = try? JSONDecoder().decode(TrainSummary.self, from: Data(json.utf8)) else { continue }
            return (summary, run.id!)
        }
        return nil
    }

    /// Trains (or resumes with `options.resume`) and records the run, its curves and its summary (returned with
    /// the JSON stored as the run's result).
    public static func train(_ config: TrainConfig, path: String, source: String, options: TrainOptions,
                             store: ResultStore, command: String, toolVersion: String) throws
        -> (summary: TrainSummary, runId: Int64, json: String) {
        var options = options
        options.configPath = options.configPath ?? path
        let trainer = try Trainer(config: config, options: options)
        let recorder = try RunRecorder(store: store, config: config, configPath: path, source: source, command: command,
                                       toolVersion: toolVersion, resumes: trainer.previousRunId,
                                       resumedStep: trainer.resumedFromStep, stage: config.runLabel)
        trainer.runId = recorder.runId
        var summary = try trainer.run(recorder: recorder)
        summary.runId = recorder.runId
        let json = try encode(summary)
        try finish(recorder, summary, json: json, outputDirectory: options.outputDirectory)
        return (summary, recorder.runId, json)
    }

    /// Writes the summary next to the checkpoint first, then records it, so a database failure loses no result:
    /// the error says where the summary is.
    public static func finish(_ recorder: RunRecorder, _ summary: TrainSummary, json: String, outputDirectory: String) throws {
        let summaryPath = (outputDirectory as NSString).appendingPathComponent("summary.json")
        try? FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let saved = (try? json.write(toFile: summaryPath, atomically: true, encoding: .utf8)) != nil
        do {
            try recorder.finish(summary, json: json)
        } catch {
            throw TrainingRecordError(description: "training \(summary.status.rawValue)\(saved ? "; its summary is in \(summaryPath)" : ""), but recording it failed: \(error)")
        }
    }

    /// The finished run of this experiment from the database, or a new one trained now (resuming from its
    /// checkpoint under `<outputRoot>/<name>/<fingerprint>` when one is there). `log` hears which it was. A diverged
    /// run is an error: there is nothing to measure.
    public static func finishedOrTrain(_ config: TrainConfig, path: String, source: String, store: ResultStore,
                                       corpora: String?, outputRoot: String = "out", quiet: Bool = false,
                                       command: String, toolVersion: String, log: (String) -> Void) throws -> (summary: TrainSummary, runId: Int64, reused: Bool) {
        if let (summary, id) = try finished(config, in: store) {
            log("\(path): reusing finished run #\(id) of \(config.name) (config fingerprint \(config.fingerprint), \(config.threads) threads)")
            return (summary, id, true)
        }
        var o = TrainOptions(outputDirectory: "\(outputRoot)/\(config.name)/\(config.fingerprint)")
        o.corporaDirectory = corpora
        o.quiet = quiet
        o.resume = FileManager.default.fileExists(atPath: o.checkpointPath)
        log("\(path): training \(config.name) (\(config.plan.totalSteps) steps)\(o.resume ? ", resuming from \(o.checkpointPath)" : "")")
        let (summary, id, _) = try train(config, path: path, source: source, options: o, store: store, command: command,
                                         toolVersion: toolVersion)
        guard summary.status == .completed else {
            throw TrainingError.diverged("\(path): \(config.name) diverged, so there is nothing to measure (\(summary.message ?? "no message"))")
        }
        return (summary, id, false)
    }

    static func encode(_ s: TrainSummary) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try e.encode(s), as: UTF8.self)
    }
}

/// A run that cannot give what was asked of it.
public enum TrainingError: Error, CustomStringConvertible {
    case diverged(String)
    public var description: String {
        switch self { case let .diverged(why): why }
    }
}

/// Training ended but its result could not be stored; the message says where the summary was written instead.
public struct TrainingRecordError: Error, CustomStringConvertible {
    public var description: String
}

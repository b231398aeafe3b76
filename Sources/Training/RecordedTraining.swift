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
        let trainer = try Trainer(config: config, options: options)
        let recorder = try RunRecorder(store: store, config: config, configPath: path, source: source, command: command,
                                       toolVersion: toolVersion, resumes: trainer.previousRunId,
                                       resumedStep: trainer.resumedFromStep, stage: config.runLabel)
        trainer.runId = recorder.runId
        var summary = try trainer.run(recorder: recorder)
        summary.runId = recorder.runId
        let json = try encode(summary)
        try recorder.finish(summary, json: json)
        return (summary, recorder.runId, json)
    }

    static func encode(_ s: TrainSummary) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try e.encode(s), as: UTF8.self)
    }
}

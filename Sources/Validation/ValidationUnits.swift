import Foundation
import ResultStore
import Training

/// One training run a validation suite needs: what `validate --shard I/N` trains on its own, so the runs of a
/// suite can be spread over a cluster's job array and the report made afterwards from the merged database
/// (which finds each run by its label, `TrainConfig.runLabel`, exactly as `ValidationRunner` does).
public struct ValidationUnit: Sendable {
    /// What the run is in the suite (e.g. `step_time 2x64`, `growth`, `loss proxy w96`).
    public var label: String
    public var config: TrainConfig
    /// The trainer file it comes from, and that file's text (recorded as the run's scenario).
    public var path: String
    public var source: String
}

public enum ValidationUnits {
    /// Every run of the suite, in a fixed order: step-time shapes, growth, scratch, loss proxies, loss targets.
    public static func all(_ suite: ValidationSuite) throws -> [ValidationUnit] {
        var units: [ValidationUnit] = []
        if let spec = suite.stepTime {
            let (base, _) = try TrainConfigLoader.load(path: spec.base)
            for shape in spec.shapes {
                let config = try ValidationRunner.shapeConfig(base, layers: shape.layers, hidden: shape.hidden, steps: spec.steps)
                units.append(ValidationUnit(label: "step_time \(shape.layers)x\(shape.hidden)", config: config, path: spec.base,
                                            source: ValidationRunner.describe(config)))
            }
        }
        if let pair = suite.growth {
            for (label, path) in [("growth", pair.growth), ("scratch", pair.scratch)] {
                let (config, source) = try TrainConfigLoader.load(path: path)
                units.append(ValidationUnit(label: label, config: config, path: path, source: source))
            }
        }
        if let loss = suite.loss {
            let (base, source) = try TrainConfigLoader.load(path: loss.proxy)
            for (what, widths) in [("proxy", loss.widths), ("target", loss.targets)] {
                for w in widths {
                    units.append(ValidationUnit(label: "loss \(what) w\(w)", config: try base.atWidth(w), path: loss.proxy, source: source))
                }
            }
        }
        // One unit per training run: two entries with the same config (a target width that is also a proxy width)
        // would otherwise land in two shards and train into the same checkpoint folder at once.
        var seen = Set<String>()
        return units.filter { seen.insert($0.config.runLabel).inserted }
    }

    /// Whether the database holds a finished run of the unit (the one `validate` would reuse).
    public static func isFinished(_ unit: ValidationUnit, in store: ResultStore) throws -> Bool {
        try RecordedTraining.finished(unit.config, in: store) != nil
    }

    /// Trains (or reuses) each unit; returns (label, run id, reused) per unit.
    public static func train(_ units: [ValidationUnit], store: ResultStore, corpora: String?, outputRoot: String = "out",
                             command: String, toolVersion: String, log: (String) -> Void) throws -> [UnitRun] {
        try units.map { u in
            let (_, id, reused) = try RecordedTraining.finishedOrTrain(u.config, path: u.path, source: u.source, store: store,
                                                                      corpora: corpora, outputRoot: outputRoot, quiet: true,
                                                                      command: command, toolVersion: toolVersion, log: log)
            return UnitRun(label: u.label, runId: id, reused: reused)
        }
    }
}

/// A unit's run in the database.
public struct UnitRun: Codable, Sendable, Equatable {
    public var label: String
    public var runId: Int64
    public var reused: Bool
}

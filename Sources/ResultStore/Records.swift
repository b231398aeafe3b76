import Foundation
import GRDB

/// A scenario file as it was when a run used it (same path + same text = same row).
public struct ScenarioRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "scenario"
    public var id: Int64?
    public var name: String
    public var path: String
    public var source: String
    public var createdAt: Date

    enum CodingKeys: String, CodingKey { case id, name, path, source, createdAt = "created_at" }
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Kinds of runs the store holds.
public enum RunKind: String, Codable, Sendable, CaseIterable {
    case inspect, simulate, plan, estimate, compare, budget, train, sweep, coordcheck, transfer, calibrate, predict, validate
    /// `growthbench accuracy`: the simulator against the published runs of Data/validation (the "scenario" is the tables).
    case accuracy
}

/// How a run ended. `interrupted`: its process died without finishing the row (found on the next open).
public enum RunStatus: String, Codable, Sendable { case running, completed, failed, diverged, interrupted }

/// One command invocation: what ran, on which scenario, how it ended, and its full JSON result.
public struct RunRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "run"
    public var id: Int64?
    public var kind: RunKind
    public var scenarioId: Int64?
    public var stage: String?
    public var command: String
    public var status: RunStatus
    public var startedAt: Date
    public var finishedAt: Date?
    public var toolVersion: String
    public var resultJSON: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, scenarioId = "scenario_id", stage, command, status, startedAt = "started_at"
        case finishedAt = "finished_at", toolVersion = "tool_version", resultJSON = "result_json"
    }
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One named number of a run (flat, for notebooks): e.g. stage "101B", name "params", unit "parameters".
public struct MetricRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "metric"
    public var id: Int64?
    public var runId: Int64
    public var stage: String?
    public var name: String
    public var value: Double
    public var unit: String

    public init(runId: Int64 = 0, stage: String?, name: String, value: Double, unit: String) {
        self.runId = runId; self.stage = stage; self.name = name; self.value = value; self.unit = unit
    }
    enum CodingKeys: String, CodingKey { case id, runId = "run_id", stage, name, value, unit }
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One point of a curve (training loss, validation BPB, …) of a run.
public struct CurvePointRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "curve_point"
    public var id: Int64?
    public var runId: Int64
    public var series: String
    public var step: Int
    public var tokens: Double
    public var value: Double

    public init(runId: Int64 = 0, series: String, step: Int, tokens: Double, value: Double) {
        self.runId = runId; self.series = series; self.step = step; self.tokens = tokens; self.value = value
    }
    enum CodingKeys: String, CodingKey { case id, runId = "run_id", series, step, tokens, value }
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension RunKind: DatabaseValueConvertible {}
extension RunStatus: DatabaseValueConvertible {}

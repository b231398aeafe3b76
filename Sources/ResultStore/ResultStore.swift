import Foundation
import GRDB

/// The SQLite results database (GRDB, with migrations). Default file: `./growthbench.sqlite`.
public final class ResultStore: Sendable {
    public static let defaultPath = "growthbench.sqlite"
    private let db: DatabaseQueue

    /// Opens (creating and migrating as needed) the database at `path`.
    public init(path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        // Several commands may write the same file at once (a sweep and a coordinate check, say): wait for the
        // other writer instead of failing with "database is locked".
        var config = Configuration()
        config.busyMode = .timeout(60)
        db = try DatabaseQueue(path: path, configuration: config)
        try Self.migrator.migrate(db)
    }

    /// A private in-memory database (tests).
    public init() throws {
        db = try DatabaseQueue()
        try Self.migrator.migrate(db)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "scenario") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull()
                t.column("path", .text).notNull()
                t.column("source", .text).notNull()
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull().indexed()
                t.column("scenario_id", .integer).references("scenario", onDelete: .setNull)
                t.column("stage", .text)
                t.column("command", .text).notNull()
                t.column("status", .text).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("finished_at", .datetime)
                t.column("tool_version", .text).notNull()
                t.column("result_json", .text)
            }
            try db.create(table: "metric") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run_id", .integer).notNull().indexed().references("run", onDelete: .cascade)
                t.column("stage", .text)
                t.column("name", .text).notNull()
                t.column("value", .double).notNull()
                t.column("unit", .text).notNull()
            }
            try db.create(table: "curve_point") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                t.column("series", .text).notNull()
                t.column("step", .integer).notNull()
                t.column("tokens", .double).notNull()
                t.column("value", .double).notNull()
            }
            try db.create(index: "curve_point_by_run", on: "curve_point", columns: ["run_id", "series", "step"])
        }
        return m
    }

    /// Applied migration identifiers, oldest first.
    public func appliedMigrations() throws -> [String] {
        try db.read { try Self.migrator.appliedIdentifiers($0) }.sorted()
    }

    /// Returns the id of the scenario row with this path and text, inserting it when new.
    public func recordScenario(name: String, path: String, source: String) throws -> Int64 {
        try db.write { db in
            if let existing = try ScenarioRecord.filter(Column("path") == path && Column("source") == source).fetchOne(db) {
                return existing.id!
            }
            var r = ScenarioRecord(id: nil, name: name, path: path, source: source, createdAt: Date())
            try r.insert(db)
            return r.id!
        }
    }

    /// Starts a run in status `running` and returns its id.
    public func beginRun(kind: RunKind, scenarioId: Int64?, stage: String? = nil, command: String,
                         toolVersion: String) throws -> Int64 {
        try db.write { db in
            var r = RunRecord(id: nil, kind: kind, scenarioId: scenarioId, stage: stage, command: command,
                              status: .running, startedAt: Date(), finishedAt: nil, toolVersion: toolVersion,
                              resultJSON: nil)
            try r.insert(db)
            return r.id!
        }
    }

    /// Ends a run with its status, its JSON result and its flat metrics, in one transaction.
    public func finishRun(_ id: Int64, status: RunStatus, resultJSON: String?, metrics: [MetricRecord] = []) throws {
        try db.write { db in
            guard var run = try RunRecord.fetchOne(db, key: id) else {
                throw DatabaseError(message: "no run with id \(id)")
            }
            run.status = status
            run.finishedAt = Date()
            run.resultJSON = resultJSON
            try run.update(db)
            for var m in metrics {
                m.runId = id
                try m.insert(db)
            }
        }
    }

    public func addCurvePoints(_ points: [CurvePointRecord], runId: Int64) throws {
        try db.write { db in
            for var p in points {
                p.runId = runId
                try p.insert(db)
            }
        }
    }

    public func run(id: Int64) throws -> RunRecord? { try db.read { try RunRecord.fetchOne($0, key: id) } }

    public func runs(kind: RunKind? = nil) throws -> [RunRecord] {
        try db.read { db in
            var q = RunRecord.order(Column("id"))
            if let kind { q = q.filter(Column("kind") == kind.rawValue) }
            return try q.fetchAll(db)
        }
    }

    public func metrics(runId: Int64) throws -> [MetricRecord] {
        try db.read { try MetricRecord.filter(Column("run_id") == runId).order(Column("id")).fetchAll($0) }
    }

    public func curve(runId: Int64, series: String) throws -> [CurvePointRecord] {
        try db.read {
            try CurvePointRecord.filter(Column("run_id") == runId && Column("series") == series)
                .order(Column("step")).fetchAll($0)
        }
    }

    public func scenarios() throws -> [ScenarioRecord] {
        try db.read { try ScenarioRecord.order(Column("id")).fetchAll($0) }
    }
}

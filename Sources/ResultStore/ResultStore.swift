import Foundation
import GRDB

/// The SQLite results database (GRDB, with migrations). Default file: `./growthbench.sqlite`.
public final class ResultStore: Sendable {
    public static let defaultPath = "growthbench.sqlite"
    let db: DatabaseQueue
    /// The file, as given (":memory:" for the in-memory store); every error names it.
    public let path: String

    /// Opens (creating and migrating as needed) the database at `path`, then marks as `interrupted` the runs
    /// this machine started whose process is gone (killed, or crashed after writing its row).
    public init(path: String) throws {
        self.path = path
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ResultStoreError(path: path, "--db: expected the path of a SQLite file, found an empty string")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ResultStoreError(path: path, "is a folder, expected a SQLite file (or a path where one can be created)")
        }
        let dir = (path as NSString).deletingLastPathComponent
        do {
            if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            // Several commands may write the same file at once (a sweep and a coordinate check, say): wait for the
            // other writer instead of failing with "database is locked".
            var config = Configuration()
            config.busyMode = .timeout(60)
            db = try DatabaseQueue(path: path, configuration: config)
            try Self.migrator.migrate(db)
        } catch {
            throw ResultStoreError(path: path, "cannot open the results database: \(ResultStoreError.reason(error))")
        }
        try markInterruptedRuns()
    }

    /// A private in-memory database (tests).
    public init() throws {
        path = ":memory:"
        db = try DatabaseQueue()
        try Self.migrator.migrate(db)
    }

    /// `body` in a write transaction; a SQLite error becomes one that names the database and what was being done.
    func write<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        do { return try db.write(body) } catch { throw ResultStoreError(path: path, "\(what) failed: \(ResultStoreError.reason(error))") }
    }

    func read<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        do { return try db.read(body) } catch { throw ResultStoreError(path: path, "\(what) failed: \(ResultStoreError.reason(error))") }
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
        // Which process on which machine holds a `running` run, so a later open can tell a live run from one
        // whose process was killed (issue 18). A side table: the run rows and their JSON keep their shape.
        m.registerMigration("v2-run-process") { db in
            try db.create(table: "run_process") { t in
                t.primaryKey("run_id", .integer).references("run", onDelete: .cascade)
                t.column("pid", .integer).notNull()
                t.column("host", .text).notNull()
            }
        }
        return m
    }

    /// Applied migration identifiers, oldest first.
    public func appliedMigrations() throws -> [String] {
        try read("reading the migrations") { try Self.migrator.appliedIdentifiers($0) }.sorted()
    }

    /// Returns the id of the scenario row with this path and text, inserting it when new.
    public func recordScenario(name: String, path: String, source: String) throws -> Int64 {
        try write("recording the scenario \(path)") { db in
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
        try write("starting a \(kind.rawValue) run") { db in
            var r = RunRecord(id: nil, kind: kind, scenarioId: scenarioId, stage: stage, command: command,
                              status: .running, startedAt: Date(), finishedAt: nil, toolVersion: toolVersion,
                              resultJSON: nil)
            try r.insert(db)
            try db.execute(sql: "INSERT INTO run_process (run_id, pid, host) VALUES (?, ?, ?)",
                           arguments: [r.id!, Int64(getpid()), ProcessInfo.processInfo.hostName])
            return r.id!
        }
    }

    /// Ends a run with its status, its JSON result and its flat metrics, in one transaction.
    public func finishRun(_ id: Int64, status: RunStatus, resultJSON: String?, metrics: [MetricRecord] = []) throws {
        try write("recording the result of run \(id)") { db in
            guard var run = try RunRecord.fetchOne(db, key: id) else {
                throw DatabaseError(message: "no run with id \(id)")
            }
            run.status = status
            run.finishedAt = Date()
            run.resultJSON = resultJSON
            try run.update(db)
            try db.execute(sql: "DELETE FROM run_process WHERE run_id = ?", arguments: [id])
            for var m in metrics {
                m.runId = id
                try m.insert(db)
            }
        }
    }

    public func addCurvePoints(_ points: [CurvePointRecord], runId: Int64) throws {
        try write("recording the curves of run \(runId)") { db in
            for var p in points {
                p.runId = runId
                try p.insert(db)
            }
        }
    }

    public func run(id: Int64) throws -> RunRecord? { try read("reading run \(id)") { try RunRecord.fetchOne($0, key: id) } }

    public func runs(kind: RunKind? = nil) throws -> [RunRecord] {
        try read("reading the runs") { db in
            var q = RunRecord.order(Column("id"))
            if let kind { q = q.filter(Column("kind") == kind.rawValue) }
            return try q.fetchAll(db)
        }
    }

    public func metrics(runId: Int64) throws -> [MetricRecord] {
        try read("reading the metrics of run \(runId)") { try MetricRecord.filter(Column("run_id") == runId).order(Column("id")).fetchAll($0) }
    }

    public func curve(runId: Int64, series: String) throws -> [CurvePointRecord] {
        try read("reading curve \(series) of run \(runId)") {
            try CurvePointRecord.filter(Column("run_id") == runId && Column("series") == series)
                .order(Column("step")).fetchAll($0)
        }
    }

    public func scenarios() throws -> [ScenarioRecord] {
        try read("reading the scenarios") { try ScenarioRecord.order(Column("id")).fetchAll($0) }
    }
}

extension ResultStore {
    /// Runs left `running` by a process of this machine that no longer exists become `interrupted` (a crash or
    /// kill -9 cannot update its own row). Runs of other machines, or of live processes, are left alone.
    func markInterruptedRuns() throws {
        let host = ProcessInfo.processInfo.hostName
        try write("marking interrupted runs") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT run.id AS id, run_process.pid AS pid FROM run JOIN run_process ON run_process.run_id = run.id
                WHERE run.status = 'running' AND run_process.host = ?
                """, arguments: [host])
            for row in rows {
                let pid: Int64 = row["pid"]
                guard !Self.processIsAlive(pid_t(truncatingIfNeeded: pid)) else { continue }
                let id: Int64 = row["id"]
                try db.execute(sql: "UPDATE run SET status = 'interrupted', finished_at = ? WHERE id = ?", arguments: [Date(), id])
                try db.execute(sql: "DELETE FROM run_process WHERE run_id = ?", arguments: [id])
            }
        }
    }

    /// kill(pid, 0): 0 or EPERM means a process with that id exists.
    static func processIsAlive(_ pid: pid_t) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}

/// A results-database problem, naming the file.
public struct ResultStoreError: Error, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, _ message: String) { self.path = path; self.message = message }
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// SQLite's own words for a GRDB error (not the Swift type dump).
    static func reason(_ error: Error) -> String {
        if let e = error as? DatabaseError {
            return [e.message, "SQLite code \(e.resultCode.rawValue)"].compactMap { $0 }.joined(separator: "; ")
        }
        if let e = error as? ResultStoreError { return e.message }
        // Foundation's file errors in words, not "The operation could not be completed" (FoundationErrors.h codes).
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case 516: return "a file is in the way of the folder it needs"
            case 4, 260: return "no such file or folder"
            case 257, 513: return "permission denied"
            case 640: return "no space left on the device"
            default: break
            }
        }
        return ns.localizedDescription
    }
}

import Foundation
import GRDB
import ResultStore

/// What one merged file added to the target.
public struct MergeOutcome: Codable, Equatable, Sendable {
    public var file: String
    public var runsAdded = 0
    /// Runs the target already had with the same key and the same results.
    public var runsAlreadyPresent = 0
    /// Runs not finished in that file (interrupted, failed or still running attempts): not results, not copied.
    public var unfinishedSkipped = 0
    public var scenariosAdded = 0
    public var metricsAdded = 0
    public var curvePointsAdded = 0
    public init(file: String) { self.file = file }
}

/// Merges results databases (one per shard of a sweep) into one: scenarios, finished runs, their metrics and
/// curves. Each file is merged in one transaction, so a bad file changes nothing and what was merged before stays.
/// Idempotent: a run whose key (see `RunIdentity`) is already in the target with the same results is skipped;
/// the same key with different results is refused as a conflict.
public struct ResultMerger {
    public let target: String
    /// "sweep 'NAME' (fingerprint FP)" every sweep point in the inputs must belong to (nil: the inputs must agree).
    public var expectedSweep: String?

    public init(into target: String, expectedSweep: (name: String, fingerprint: String)? = nil) {
        self.target = target
        self.expectedSweep = expectedSweep.map { ShardDatabase.describe(name: $0.name, fingerprint: $0.fingerprint) }
    }

    /// Merges every file in order; returns what each added and the errors of those refused (the others are merged).
    public func merge(_ files: [String]) throws -> (merged: [MergeOutcome], refused: [MergeError]) {
        let targetPath = URL(fileURLWithPath: target).standardizedFileURL.path
        _ = try ResultStore(path: target)   // creates and migrates the target
        var config = Configuration()
        config.busyMode = .timeout(60)
        let queue = try DatabaseQueue(path: target, configuration: config)
        var merged: [MergeOutcome] = [], refused: [MergeError] = []
        var agreed = expectedSweep
        for file in files {
            do {
                if URL(fileURLWithPath: file).standardizedFileURL.path == targetPath { throw MergeError.intoIsInput(file) }
                let shard = try ShardDatabase(path: file)
                let sweeps = try shard.sweeps()
                if let expected = agreed, let other = sweeps.sorted().first(where: { $0 != expected }) {
                    throw MergeError.otherSweep(file, other, expected + (expectedSweep == nil ? " like the files before it" : ""))
                }
                if agreed == nil, sweeps.count > 1 {
                    throw MergeError.otherSweep(file, sweeps.sorted().joined(separator: " and "), "one sweep per file")
                }
                agreed = agreed ?? sweeps.first
                merged.append(try queue.write { try Self.copy(shard, into: $0) })
            } catch let e as MergeError {
                refused.append(e)
            } catch {
                // SQLite itself (busy, full, an I/O error): this file's transaction rolled back; go on with the others.
                refused.append(.unreadable(file, "\(error)"))
            }
        }
        return (merged, refused)
    }

    /// Copies one file's scenarios and finished runs (with metrics and curves) inside the target's transaction.
    static func copy(_ shard: ShardDatabase, into db: Database) throws -> MergeOutcome {
        var outcome = MergeOutcome(file: shard.path)
        let finished = ["completed", "diverged"]
        // The target's finished runs by key.
        var known: [String: (id: Int64, status: String)] = [:]
        let targetSources = try sources(in: db)
        for run in try Row.fetchAll(db, sql: "SELECT * FROM run WHERE status IN ('completed', 'diverged') ORDER BY id") {
            let sid: Int64? = run["scenario_id"]
            known[RunIdentity.key(run, scenarioSource: sid.flatMap { targetSources[$0]?.source })] = (run["id"], run["status"])
        }
        let runColumns = try common("run", db, shard)
        let metricColumns = try common("metric", db, shard)
        let curveColumns = try common("curve_point", db, shard)
        var scenarioMap: [Int64: Int64] = [:]
        try shard.queue.read { src in
            let shardSources = try sources(in: src)
            for run in try Row.fetchAll(src, sql: "SELECT * FROM run ORDER BY id") {
                let status: String = run["status"]
                guard finished.contains(status) else { outcome.unfinishedSkipped += 1; continue }
                let runId: Int64 = run["id"], sid: Int64? = run["scenario_id"]
                let key = RunIdentity.key(run, scenarioSource: sid.flatMap { shardSources[$0]?.source })
                if let existing = known[key] {
                    let mine = try RunIdentity.results(of: runId, status: status, in: src)
                    let theirs = try RunIdentity.results(of: existing.id, status: existing.status, in: db)
                    guard mine == theirs else {
                        throw MergeError.conflict(shard.path, key, RunIdentity.difference(theirs, mine))
                    }
                    outcome.runsAlreadyPresent += 1
                    continue
                }
                var newScenario: Int64?
                if let sid, let s = shardSources[sid] {
                    if let mapped = scenarioMap[sid] { newScenario = mapped }
                    else {
                        let found = try Int64.fetchOne(db, sql: "SELECT id FROM scenario WHERE path = ? AND source = ? ORDER BY id LIMIT 1",
                                                       arguments: [s.path, s.source])
                        if let found { newScenario = found } else {
                            try db.execute(sql: "INSERT INTO scenario (name, path, source, created_at) VALUES (?, ?, ?, ?)",
                                           arguments: [s.name, s.path, s.source, s.createdAt])
                            newScenario = db.lastInsertedRowID
                            outcome.scenariosAdded += 1
                        }
                        scenarioMap[sid] = newScenario
                    }
                }
                let newRun = try insert(run, columns: runColumns, into: "run", db, replacing: ["scenario_id": newScenario.databaseValue])
                known[key] = (newRun, status)
                outcome.runsAdded += 1
                for row in try Row.fetchAll(src, sql: "SELECT * FROM metric WHERE run_id = ? ORDER BY id", arguments: [runId]) {
                    _ = try insert(row, columns: metricColumns, into: "metric", db, replacing: ["run_id": newRun.databaseValue])
                    outcome.metricsAdded += 1
                }
                for row in try Row.fetchAll(src, sql: "SELECT * FROM curve_point WHERE run_id = ? ORDER BY id", arguments: [runId]) {
                    _ = try insert(row, columns: curveColumns, into: "curve_point", db, replacing: ["run_id": newRun.databaseValue])
                    outcome.curvePointsAdded += 1
                }
            }
        }
        return outcome
    }

    /// Scenario rows by id (name, path, text and creation time as stored).
    static func sources(in db: Database) throws -> [Int64: (name: String, path: String, source: String, createdAt: DatabaseValue)] {
        var out: [Int64: (name: String, path: String, source: String, createdAt: DatabaseValue)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, name, path, source, created_at FROM scenario") {
            out[row["id"]] = (row["name"], row["path"], row["source"], row["created_at"])
        }
        return out
    }

    /// Columns both databases have in `table`, except the row id: a target migrated further than the file (or the
    /// other way round) still merges what they share.
    static func common(_ table: String, _ target: Database, _ shard: ShardDatabase) throws -> [String] {
        let mine = try shard.queue.read { try $0.columns(in: table).map(\.name) }
        let theirs = Set(try target.columns(in: table).map(\.name))
        return mine.filter { $0 != "id" && theirs.contains($0) }
    }

    /// Inserts `row`'s `columns` (with some values replaced) into `table`; returns the new row id.
    static func insert(_ row: Row, columns: [String], into table: String, _ db: Database,
                       replacing: [String: DatabaseValue]) throws -> Int64 {
        let values = columns.map { replacing[$0] ?? row[$0] as DatabaseValue }
        let names = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try db.execute(sql: "INSERT INTO \"\(table)\" (\(names)) VALUES (\(marks))", arguments: StatementArguments(values))
        return db.lastInsertedRowID
    }
}

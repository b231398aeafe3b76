import Foundation
import GRDB

/// A results database opened as the source of a merge (only read), after checks that name the file: it exists,
/// SQLite reads it, its integrity check passes and it has GrowthBench's tables. Not opened read-only: a shard
/// whose writer was killed mid-transaction (a cancelled array task) has a hot journal, which SQLite rolls back
/// on first read and a read-only connection refuses to.
struct ShardDatabase {
    static let tables = ["scenario", "run", "metric", "curve_point"]
    let path: String
    let queue: DatabaseQueue

    init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { throw MergeError.missing(path) }
        var config = Configuration()
        config.busyMode = .timeout(10)
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            let check = try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
            guard check == ["ok"] else { throw MergeError.unreadable(path, "integrity check: " + check.prefix(3).joined(separator: "; ")) }
            let missing = try queue.read { db in try Self.tables.first { try !db.tableExists($0) } }
            if let missing { throw MergeError.notResults(path, missing) }
        } catch let e as MergeError {
            throw e
        } catch let e as DatabaseError {
            throw MergeError.unreadable(path, e.message ?? "\(e)")
        }
    }

    /// The sweeps whose point runs it holds: "sweep 'NAME' (fingerprint FP)", from stages `sweep/NAME/FP/POINT`.
    func sweeps() throws -> Set<String> {
        let stages = try queue.read {
            try String.fetchAll($0, sql: "SELECT DISTINCT stage FROM run WHERE kind = 'sweep' AND stage LIKE 'sweep/%'")
        }
        return Set(stages.compactMap(Self.sweep(ofStage:)))
    }

    /// "sweep 'NAME' (fingerprint FP)" for a sweep point's stage, nil for any other stage.
    static func sweep(ofStage stage: String) -> String? {
        let parts = stage.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "sweep" else { return nil }
        return describe(name: String(parts[1]), fingerprint: String(parts[2]))
    }

    static func describe(name: String, fingerprint: String) -> String { "sweep '\(name)' (fingerprint \(fingerprint))" }
}

/// Why a shard database was not merged; every case names the file.
public enum MergeError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    /// SQLite could not read it, or its integrity check failed: (file, SQLite's words).
    case unreadable(String, String)
    /// A readable SQLite file without GrowthBench's tables: (file, missing table).
    case notResults(String, String)
    /// The shard holds runs of another sweep: (file, found, expected).
    case otherSweep(String, String, String)
    /// Same run key, different results: (file, key, what differs).
    case conflict(String, String, String)
    /// The target is one of the inputs.
    case intoIsInput(String)

    public var description: String {
        switch self {
        case let .missing(f): return "\(f): no such file"
        case let .unreadable(f, why): return "\(f): not a readable SQLite database (\(why)); nothing from it was merged"
        case let .notResults(f, table): return "\(f): not a GrowthBench results database (no table '\(table)'); nothing from it was merged"
        case let .otherSweep(f, found, expected):
            return "\(f): holds runs of \(found), expected \(expected) (a shard of another sweep, or of this sweep before its file or training config changed); nothing from it was merged"
        case let .conflict(f, key, diff):
            return "\(f): run \(key) is already in the target with different results (\(diff)); nothing from this file was merged. Merge into a fresh database, or remove one of the two runs"
        case let .intoIsInput(f): return "\(f): --into is also one of the files to merge"
        }
    }
}

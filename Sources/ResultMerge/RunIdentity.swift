import Foundation
import GRDB

/// How the merge tells runs apart. A run that names a stage and a config (a sweep point, a trained run: stage
/// label plus the config text it trained) is one measurement of that config, keyed by kind, stage and the
/// config's text, so the same sweep point merged from two files is one run. Any other run is one command
/// invocation, keyed by kind, stage, command line and start time.
struct RunIdentity {
    /// Curve series and metric units that measure speed, not results: left out when comparing two runs.
    static let timingSeries: Set<String> = ["step_seconds"]
    static let timingUnits: Set<String> = ["s", "tokens/s", "GFLOP/s"]

    /// The key of a run row (`run` table) whose config text is `scenarioSource` (nil when it has no scenario).
    static func key(_ run: Row, scenarioSource: String?) -> String {
        let kind: String = run["kind"], stage: String? = run["stage"]
        if let stage, let scenarioSource {
            return "\(kind) '\(stage)' (config \(fingerprint(scenarioSource)))"
        }
        let command: String = run["command"]
        let started: DatabaseValue = run["started_at"]
        return "\(kind) '\(stage ?? "")' [\(command)] started \(started.description)"
    }

    /// 16 hex digits of FNV-1a.
    static func fingerprint(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }

    /// What a run measured, one line per status, curve point and metric, timing left out; numbers as written
    /// (17 significant digits), so equal lines mean bit-for-bit equal results.
    static func results(of runId: Int64, status: String, in db: Database) throws -> [String] {
        var lines = ["status \(status)"]
        for row in try Row.fetchAll(db, sql: "SELECT series, step, tokens, value FROM curve_point WHERE run_id = ? ORDER BY series, step, id",
                                    arguments: [runId]) {
            let series: String = row["series"]
            if timingSeries.contains(series) { continue }
            let step: Int = row["step"], tokens: Double = row["tokens"], value: Double = row["value"]
            lines.append("curve \(series) step \(step) tokens \(number(tokens)): \(number(value))")
        }
        for row in try Row.fetchAll(db, sql: "SELECT stage, name, value, unit FROM metric WHERE run_id = ? ORDER BY stage, name, id",
                                    arguments: [runId]) {
            let unit: String = row["unit"]
            if timingUnits.contains(unit) { continue }
            let stage: String? = row["stage"], name: String = row["name"], value: Double = row["value"]
            lines.append("metric \(stage.map { "\($0) " } ?? "")\(name): \(number(value)) \(unit)")
        }
        return lines
    }

    static func number(_ x: Double) -> String { String(format: "%.17g", x) }

    /// The first difference between two result listings, for the conflict message.
    static func difference(_ a: [String], _ b: [String]) -> String {
        for (x, y) in zip(a, b) where x != y { return "target has '\(x)', this file has '\(y)'" }
        return a.count < b.count ? "this file has more: '\(b[a.count])'" : "the target has more: '\(a[b.count])'"
    }
}

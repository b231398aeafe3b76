import Foundation
import GRDB
import Testing
import ResultStore
@testable import ResultMerge

/// Shard databases built with the store's own API: sweep point runs with curves and metrics.
struct ShardBuilder {
    let path: String
    let store: ResultStore
    init(_ tag: String) throws {
        path = NSTemporaryDirectory() + "gb-merge-\(tag)-\(UUID().uuidString).sqlite"
        store = try ResultStore(path: path)
    }

    /// A finished point of sweep `sweep` (fingerprint `fp`) whose loss curve is `losses`; `seconds` is timing only.
    @discardableResult
    func point(_ key: String, sweep: String = "s", fp: String = "f00d", losses: [Double], seconds: Double = 1,
               status: RunStatus = .completed) throws -> Int64 {
        let scenario = try store.recordScenario(name: "proxy", path: "/cfg/proxy.yaml", source: "config text \(fp)")
        let id = try store.beginRun(kind: .sweep, scenarioId: scenario, stage: "sweep/\(sweep)/\(fp)/\(key)", command: "growthbench sweep",
                                    toolVersion: "test")
        try store.addCurvePoints(losses.enumerated().flatMap { i, l in
            [CurvePointRecord(series: "train_loss", step: i + 1, tokens: Double(64 * (i + 1)), value: l),
             CurvePointRecord(series: "step_seconds", step: i + 1, tokens: Double(64 * (i + 1)), value: seconds)]
        }, runId: id)
        if status != .running {
            try store.finishRun(id, status: status, resultJSON: "{\"seconds\": \(seconds)}", metrics: [
                MetricRecord(stage: nil, name: "final_train_loss", value: losses.last!, unit: "nats/byte"),
                MetricRecord(stage: nil, name: "train_seconds", value: seconds, unit: "s"),
            ])
        }
        return id
    }
}

/// Row counts of (scenario, run, metric, curve_point).
func counts(_ path: String) throws -> [Int] {
    try DatabaseQueue(path: path).read { db in
        try ["scenario", "run", "metric", "curve_point"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)")! }
    }
}

func target() -> String { NSTemporaryDirectory() + "gb-merge-into-\(UUID().uuidString).sqlite" }

@Suite struct ResultMergerTests {
    @Test func mergesShardsAndIsIdempotent() throws {
        let a = try ShardBuilder("a"), b = try ShardBuilder("b")
        try a.point("sp/w16/lr1", losses: [5.5, 5.25])
        try a.point("mup/w16/lr1", losses: [5.5, 5.0], status: .running)   // an interrupted attempt
        try a.point("mup/w16/lr1", losses: [5.5, 5.125])
        try b.point("sp/w32/lr1", losses: [5.4, 5.1])
        let into = target()
        let merger = ResultMerger(into: into, expectedSweep: ("s", "f00d"))
        let first = try merger.merge([a.path, b.path])
        #expect(first.refused.isEmpty)
        #expect(first.merged.map(\.runsAdded) == [2, 1])
        #expect(first.merged[0].unfinishedSkipped == 1)
        #expect(first.merged[0].scenariosAdded == 1 && first.merged[1].scenariosAdded == 0)
        let after = try counts(into)
        #expect(after == [1, 3, 6, 12])
        // The copied curves are the shard's, bit for bit, under the new run ids.
        let store = try ResultStore(path: into)
        let run = try #require(try store.runs(kind: .sweep).first { $0.stage == "sweep/s/f00d/mup/w16/lr1" })
        #expect(try store.curve(runId: run.id!, series: "train_loss").map(\.value) == [5.5, 5.125])
        #expect(run.status == .completed)

        let again = try merger.merge([b.path, a.path])
        #expect(again.refused.isEmpty)
        #expect(again.merged.map(\.runsAdded) == [0, 0])
        #expect(again.merged.map(\.runsAlreadyPresent) == [1, 2])
        #expect(try counts(into) == after)
    }

    /// The same point from another file with the same losses but other timings is the same run; with other
    /// losses it is a conflict, and that file changes nothing.
    @Test func sameKeyDifferentResultsIsAConflict() throws {
        let a = try ShardBuilder("a")
        try a.point("sp/w16/lr1", losses: [5.5, 5.25], seconds: 1)
        let into = target()
        _ = try ResultMerger(into: into).merge([a.path])
        let before = try counts(into)

        let retimed = try ShardBuilder("retimed")
        try retimed.point("sp/w16/lr1", losses: [5.5, 5.25], seconds: 9)
        let same = try ResultMerger(into: into).merge([retimed.path])
        #expect(same.refused.isEmpty && same.merged[0].runsAlreadyPresent == 1)

        let other = try ShardBuilder("other")
        try other.point("sp/w32/lr1", losses: [5.0])          // new, but in the same file as the conflict
        try other.point("sp/w16/lr1", losses: [5.5, 5.2500001])
        let result = try ResultMerger(into: into).merge([other.path])
        #expect(result.merged.isEmpty)
        let message = try #require(result.refused.first).description
        #expect(message.hasPrefix("\(other.path): run sweep 'sweep/s/f00d/sp/w16/lr1'"), "\(message)")
        #expect(message.contains("already in the target with different results"))
        #expect(message.contains("curve train_loss step 2"), "\(message)")
        #expect(try counts(into) == before)
    }

    @Test func badFilesAreRefusedByNameAndTheRestIsMerged() throws {
        let good = try ShardBuilder("good")
        try good.point("sp/w16/lr1", losses: [5.5])
        let late = try ShardBuilder("late")
        try late.point("sp/w32/lr1", losses: [5.4])
        let corrupt = NSTemporaryDirectory() + "gb-corrupt-\(UUID().uuidString).sqlite"
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: URL(fileURLWithPath: corrupt))
        let foreign = NSTemporaryDirectory() + "gb-foreign-\(UUID().uuidString).sqlite"
        try DatabaseQueue(path: foreign).write { try $0.execute(sql: "CREATE TABLE t (x)") }
        let otherSweep = try ShardBuilder("othersweep")
        try otherSweep.point("sp/w16/lr1", sweep: "s", fp: "beef", losses: [5.5])
        let missing = "/nonexistent/shard-9.sqlite"
        let into = target()

        let result = try ResultMerger(into: into, expectedSweep: ("s", "f00d"))
            .merge([good.path, corrupt, foreign, otherSweep.path, missing, into, late.path])
        #expect(result.merged.map(\.file) == [good.path, late.path])
        let messages = result.refused.map(\.description)
        #expect(messages.count == 5)
        #expect(messages[0].hasPrefix("\(corrupt): not a readable SQLite database"), "\(messages[0])")
        #expect(messages[1] == "\(foreign): not a GrowthBench results database (no table 'scenario'); nothing from it was merged")
        #expect(messages[2].hasPrefix("\(otherSweep.path): holds runs of sweep 's' (fingerprint beef), expected sweep 's' (fingerprint f00d)"), "\(messages[2])")
        #expect(messages[3] == "\(missing): no such file")
        #expect(messages[4] == "\(into): --into is also one of the files to merge")
        #expect(try counts(into) == [1, 2, 4, 4])
    }

    /// Without an expected sweep the files must agree with the first that holds sweep points.
    @Test func filesOfTwoSweepsWithoutExpectationAreRefused() throws {
        let a = try ShardBuilder("a"), b = try ShardBuilder("b")
        try a.point("sp/w16/lr1", sweep: "one", losses: [5.5])
        try b.point("sp/w16/lr1", sweep: "two", losses: [5.5])
        let result = try ResultMerger(into: target()).merge([a.path, b.path])
        #expect(result.merged.count == 1)
        #expect(result.refused.first?.description.contains("holds runs of sweep 'two' (fingerprint f00d), expected sweep 'one' (fingerprint f00d) like the files before it") == true)
    }

    /// Runs that are not measurements of a config (no stage or no scenario) are keyed by their invocation: two
    /// report runs are two rows, the same one merged twice is one.
    @Test func invocationRunsAreKeptApart() throws {
        let a = try ShardBuilder("a")
        for _ in 0..<2 {
            let id = try a.store.beginRun(kind: .sweep, scenarioId: nil, stage: "summary/s", command: "growthbench sweep --report-only", toolVersion: "t")
            try a.store.finishRun(id, status: .completed, resultJSON: "{}")
            Thread.sleep(forTimeInterval: 0.01)
        }
        let into = target()
        _ = try ResultMerger(into: into).merge([a.path])
        _ = try ResultMerger(into: into).merge([a.path])
        #expect(try counts(into)[1] == 2)
    }
}

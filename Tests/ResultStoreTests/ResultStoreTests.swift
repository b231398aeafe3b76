import Testing
import Foundation
@testable import ResultStore

@Suite struct ResultStoreTests {
    @Test func migrationsCreateTheSchema() throws {
        let store = try ResultStore()
        #expect(try store.appliedMigrations() == ["v1", "v2-run-process"])
    }

    @Test func runsMetricsAndCurvesRoundTrip() throws {
        let store = try ResultStore()
        let sid = try store.recordScenario(name: "s", path: "a.yaml", source: "x: 1")
        #expect(try store.recordScenario(name: "s", path: "a.yaml", source: "x: 1") == sid)   // same text: same row
        #expect(try store.recordScenario(name: "s", path: "a.yaml", source: "x: 2") != sid)   // edited: new row
        let run = try store.beginRun(kind: .inspect, scenarioId: sid, command: "growthbench inspect a.yaml", toolVersion: "t")
        #expect(try store.run(id: run)?.status == .running)
        try store.finishRun(run, status: .completed, resultJSON: "{}",
                            metrics: [MetricRecord(stage: "16B", name: "params", value: 1.5e10, unit: "parameters")])
        let r = try #require(try store.run(id: run))
        #expect(r.status == .completed && r.finishedAt != nil && r.resultJSON == "{}")
        #expect(try store.metrics(runId: run).map(\.value) == [1.5e10])
        try store.addCurvePoints([CurvePointRecord(series: "loss", step: 2, tokens: 20, value: 3.0),
                                  CurvePointRecord(series: "loss", step: 1, tokens: 10, value: 4.0)], runId: run)
        #expect(try store.curve(runId: run, series: "loss").map(\.step) == [1, 2])
        #expect(try store.runs(kind: .inspect).count == 1)
        #expect(try store.runs(kind: .train).isEmpty)
    }

    @Test func fileDatabasePersistsAcrossOpens() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gb-\(UUID())/results.sqlite").path
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let id = try ResultStore(path: path).beginRun(kind: .simulate, scenarioId: nil, command: "c", toolVersion: "t")
        #expect(try ResultStore(path: path).run(id: id)?.kind == .simulate)
    }

    @Test func finishingAnUnknownRunThrows() throws {
        let store = try ResultStore()
        #expect(throws: (any Error).self) { try store.finishRun(42, status: .failed, resultJSON: nil) }
    }
}

/// Issue 18: database problems name the file; runs whose process died are not left `running` forever.
@Suite struct ResultStoreHardeningTests {
    @Test func anEmptyPathOrAFolderIsRefusedByName() throws {
        #expect { _ = try ResultStore(path: "") } throws: { "\($0)".contains("--db: expected the path of a SQLite file, found an empty string") }
        let dir = NSTemporaryDirectory() + "gb-dbdir-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect { _ = try ResultStore(path: dir) } throws: { "\($0)" == "\(dir): is a folder, expected a SQLite file (or a path where one can be created)" }
        let notSQLite = dir + "/text.sqlite"
        try "not a database".write(toFile: notSQLite, atomically: true, encoding: .utf8)
        #expect { _ = try ResultStore(path: notSQLite) } throws: { "\($0)".hasPrefix("\(notSQLite): cannot open the results database: ") }
    }

    @Test func aRunWhoseProcessDiedBecomesInterruptedOnTheNextOpen() throws {
        let path = NSTemporaryDirectory() + "gb-interrupted-\(UUID().uuidString).sqlite"
        let store = try ResultStore(path: path)
        let live = try store.beginRun(kind: .train, scenarioId: nil, command: "live", toolVersion: "t")
        let dead = try store.beginRun(kind: .train, scenarioId: nil, command: "dead", toolVersion: "t")
        // Pretend `dead` was written by a process that no longer exists (pid above Linux's default pid_max).
        try store.write("test") { try $0.execute(sql: "UPDATE run_process SET pid = 4194305 WHERE run_id = ?", arguments: [dead]) }
        let reopened = try ResultStore(path: path)
        #expect(try reopened.run(id: dead)?.status == .interrupted)
        #expect(try reopened.run(id: dead)?.finishedAt != nil)
        #expect(try reopened.run(id: live)?.status == .running, "this process is alive: its run stays running")
        try reopened.finishRun(live, status: .completed, resultJSON: "{}")
        #expect(try ResultStore(path: path).run(id: live)?.status == .completed)
    }
}

import Testing
import Foundation
@testable import ResultStore

@Suite struct ResultStoreTests {
    @Test func migrationsCreateTheSchema() throws {
        let store = try ResultStore()
        #expect(try store.appliedMigrations() == ["v1"])
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

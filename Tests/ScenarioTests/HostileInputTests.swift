import Testing
import Foundation
import ConfigFile
@testable import Scenario

/// Issue 18's reproductions on scenario files: each is a clear error naming the file, the line and the field,
/// never a trap (the values once reached `Int(...)` or a product unchecked).
@Suite struct HostileInputTests {
    private func problems(_ text: String) -> [ConfigError] { Fixtures.problems(text, path: "hostile.yaml") }
    private func broken(_ old: String, _ new: String) -> String { Fixtures.broken(old, new) }

    /// Exactly one problem, at `field`, whose message contains `words`.
    private func expectOne(_ text: String, field: String, _ words: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let p = problems(text)
        #expect(p.count == 1, "\(p)", sourceLocation: sourceLocation)
        #expect(p.first?.field == field, "\(p)", sourceLocation: sourceLocation)
        #expect(p.first?.line != nil, sourceLocation: sourceLocation)
        #expect(p.first?.message.contains(words) == true, "\(p.first?.message ?? "")", sourceLocation: sourceLocation)
    }

    @Test func hugeTokenCountsAreOutOfRange() {
        expectOne(broken("tokens: 1B", "tokens: 1e30"), field: "stages[0].tokens", "expected a number of tokens between 1 and 1e+16, found 1e+30")
    }

    @Test func hugeNodeCountsAndParallelDegreesAreOutOfRange() {
        expectOne(broken("nodes: 1", "nodes: 9223372036854775807"), field: "cluster.nodes", "between 1 and 100000")
        let p = problems(broken("tp: 2\n      pp: 2", "tp: 4294967296\n      pp: 4294967296"))
        #expect(Set(p.map(\.field)) == ["stages[0].parallel.tp", "stages[0].parallel.pp"], "\(p)")
    }

    @Test func hugeBatchesAndWidthsAreOutOfRange() {
        expectOne(broken("batch_sequences: 64\n    parallel:\n      tp", "batch_tokens: 1e30\n    parallel:\n      tp"),
                  field: "stages[0].batch_tokens", "a global batch in tokens between")
        let p = problems(broken("hidden: 1024", "hidden: 1e10").replacingOccurrences(of: "ffn_hidden: 4096", with: "ffn_hidden: 4e10"))
        #expect(p.map(\.field).contains("stages[0].model.hidden"), "\(p)")
        #expect(p.map(\.field).contains("stages[0].model.ffn_hidden"), "\(p)")
    }

    @Test func runTimesAndPricesAreOutOfRange() {
        let cases: [(String, String)] = [
            ("restart_minutes: 1e30", "run.restart_minutes"), ("checkpoint_interval_minutes: 1e30", "run.checkpoint_interval_minutes"),
            ("growth_transition_minutes: 1e300", "run.growth_transition_minutes"), ("storage_gb_per_s: 1e-9", "run.storage_gb_per_s"),
            ("pue: 1e308", "run.pue"), ("grid_kg_co2e_per_kwh: 1e308", "run.grid_kg_co2e_per_kwh"),
        ]
        for (line, field) in cases {
            expectOne(Fixtures.valid + "\nrun:\n  \(line)\n", field: field, "between")
        }
        expectOne(broken("price_per_gpu_hour_usd: 2.0", "price_per_gpu_hour_usd: 1e-300"), field: "cluster.price_per_gpu_hour_usd", "a price in USD per GPU-hour between 0.01 and 1000")
    }

    @Test func namesThatWouldEscapeTheOutputFolderAreRefused() {
        expectOne(broken("name: tiny", "name: ../../x"), field: "name", "it names folders under out/")
        expectOne(broken("name: small", "name: a/b"), field: "stages[0].name", "it names folders under out/")
    }

    /// One bad field in stage 0 is one error: the stage that inherits from it does not report its fields missing.
    @Test func aBadFieldInTheFirstStageIsReportedOnce() {
        expectOne(broken("layers: 4", "layers: -1"), field: "stages[0].model.layers", "between 1 and 2048")
    }

    @Test func aValueIsEchoedAtMostSixtyCharacters() {
        let long = String(repeating: "x", count: 10_000)
        let p = problems(broken("nodes: 1", "nodes: \(long)"))
        #expect(p.count == 1)
        #expect((p.first?.message.count ?? .max) < 200, "\(p)")
    }

    @Test func unreadableFilesSayWhy() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func message(_ path: String) -> String {
            do { _ = try ScenarioLoader.load(path: path, catalog: Fixtures.catalog); return "loaded" } catch { return "\(error)" }
        }
        // A non-UTF-8 byte: its line and column.
        var bytes = Array(Fixtures.valid.utf8)
        let line3 = Array(Fixtures.valid.utf8).indices.filter { bytes[$0] == 0x0A }[1] + 1
        bytes.insert(0xFF, at: line3)
        FileManager.default.createFile(atPath: dir + "/latin1.yaml", contents: Data(bytes))
        #expect(message(dir + "/latin1.yaml").contains("latin1.yaml:3: expected UTF-8 text, found an invalid byte 0xFF at line 3, column 1"))
        // A folder given as the file.
        #expect(message(dir).contains("is a folder, expected a YAML file"))
        // A 5 MB one-line file: refused by size, not echoed.
        FileManager.default.createFile(atPath: dir + "/huge.yaml", contents: Data(String(repeating: "a", count: 5 << 20).utf8))
        let huge = message(dir + "/huge.yaml")
        #expect(huge.contains("expected a configuration file of at most 4194304 bytes") && huge.count < 300)
    }
}

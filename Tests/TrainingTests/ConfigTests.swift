import Testing
import ConfigFile
@testable import Training

@Suite struct ConfigTests {
    @Test func repositoryConfigsLoad() throws {
        for name in ["baseline", "tiny"] {
            let path = #filePath.replacingOccurrences(of: "Tests/TrainingTests/ConfigTests.swift", with: "Scenarios/mini/\(name).yaml")
            let (c, _) = try TrainConfigLoader.load(path: path)
            #expect(c.model.vocab == 256)
            #expect(c.training.batchSequences % c.training.microBatch == 0)
            #expect(c.data.weightings.count == 2)
        }
    }

    @Test func defaultWeightingsAreTheMixtureAndUniform() throws {
        let c = try tinyConfig(corpora: "/x")
        #expect(c.data.weightings.map(\.name) == ["mixture", "uniform"])
        #expect(c.training.accumulation == 2)
    }

    /// Every problem is reported at once with file, line, field path and what was expected.
    @Test func badFieldsAreReportedWithLineFieldAndExpectation() {
        let text = tinyConfigText(corpora: "/x", extra: "bogus: 1")
            .replacingOccurrences(of: "micro_batch: 2", with: "micro_batch: 3")
            .replacingOccurrences(of: "vocab: 256", with: "vocab: 300")
            .replacingOccurrences(of: "lr: 0.003", with: "lr: fast")
            .replacingOccurrences(of: "mixture: {prose: 0.6, code: 0.4}", with: "mixture: {prose: 0.6, code: -1}")
        do {
            _ = try TrainConfigLoader.parse(text: text, path: "bad.yaml")
            Issue.record("expected errors")
        } catch let e as ConfigErrors {
            let s = e.description
            #expect(s.contains("bad.yaml:12: training.micro_batch: expected a divisor of batch_sequences (4), found 3"), "\(s)")
            #expect(s.contains("bad.yaml:4: model.vocab: expected 256"), "\(s)")
            #expect(s.contains("optimizer.lr: expected a number, found 'fast'"), "\(s)")
            #expect(s.contains("data.mixture.code: expected a mixture weight between 1e-06 and 1000000, found -1"), "\(s)")
            #expect(s.contains("bad.yaml:13: bogus: unknown key"), "\(s)")
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func weightingsMayOnlyNameMixtureDomains() {
        let text = tinyConfigText(corpora: "/x").replacingOccurrences(of: "eval_bytes: 256",
            with: "eval_bytes: 256\n  weightings:\n    a: {prose: 1}\n    b: {poetry: 1}")
        #expect(throws: ConfigErrors.self) { try TrainConfigLoader.parse(text: text, path: "w.yaml") }
    }
}

import Foundation
import Testing
import Calibration
import ConfigFile
import CurveFit
import Hardware
import ResultStore
import TestSupport
@testable import Validation

/// A synthetic one-device profile written and read back in the format `calibrate` writes (no measurement:
/// the numbers are round, so the predictions below can be checked by hand if needed).
func syntheticProfile() throws -> SystemProfile {
    let c = Calibration(
        host: "test", cpu: "test CPU", threads: 2, blas: "OpenBLAS test", memoryGiB: 8, rows: 2048,
        gemms: [GEMMMeasurement(rows: 2048, inputs: 64, outputs: 64, forwardSeconds: 1e-3, inputGradientSeconds: 1e-3, weightGradientSeconds: 1e-3),
                GEMMMeasurement(rows: 2048, inputs: 1024, outputs: 1024, forwardSeconds: 0.08, inputGradientSeconds: 0.08, weightGradientSeconds: 0.08)],
        attention: [AttentionMeasurement(batch: 8, heads: 4, headDim: 64, sequenceLength: 256, seconds: 0.03)],
        memory: [MemoryMeasurement(kernel: "layernorm", elements: 1 << 20, bytes: 4e7, seconds: 4e-3)],
        stepOverheadSeconds: 1e-4, layerDispatchSeconds: 5e-5, seconds: 1)
    let dir = NSTemporaryDirectory() + "gb-profile-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/local.yaml"
    try LocalProfile.yaml(c).write(toFile: path, atomically: true, encoding: .utf8)
    let catalog = try SystemCatalog.load(path: path, gpus: HardwareCatalog(gpus: []))
    return try #require(catalog.system(named: "local"))
}

/// Files of a tiny suite over the synthetic corpora: two step-time shapes, a two-stage growth schedule and its
/// scratch baseline, four µP proxies and one target.
func writeTinySuite(corpora: String) throws -> String {
    let dir = NSTemporaryDirectory() + "gb-suite-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let data = """
    data: {dir: \(corpora), validation_fraction: 0.2, mixture: {prose: 0.6, code: 0.4}, eval_bytes: 256}
    """
    let model = "vocab: 256, seq_length: 16, activation: gelu, norm: layernorm, position: rope, tied_embeddings: false, linear_biases: true"
    let files = [
        "base.yaml": """
        name: t-base
        seed: 3
        threads: 2
        model: {layers: 2, hidden: 16, heads: 2, ffn_hidden: 64, \(model)}
        \(data)
        optimizer: {lr: 3.0e-3, min_lr: 3.0e-4, warmup_steps: 2, weight_decay: 0.1, grad_clip: 1.0}
        training: {steps: 4, batch_sequences: 4, micro_batch: 2, eval_every: 4, checkpoint_every: 4, log_every: 100}
        """,
        "growth.yaml": """
        name: t-growth
        seed: 5
        threads: 2
        parametrization: {kind: mup, base_hidden: 16, learning_rate: 4.0e-3, min_learning_rate: 4.0e-4, init_std: 0.02}
        \(data)
        optimizer: {weight_decay: 0.1, grad_clip: 1.0}
        training: {micro_batch: 2, eval_every: 10, checkpoint_every: 10, log_every: 100}
        stages:
          - name: small
            model: {layers: 1, hidden: 16, heads: 2, ffn_hidden: 64, \(model)}
            tokens: 512
            batch_sequences: 4
            lr: {warmup_samples: 8}
          - name: big
            model: {layers: 2, hidden: 32, heads: 4, ffn_hidden: 128}
            tokens: 256
            batch_sequences: 4
            growth: {order: [depth, heads, ffn], ramp_steps: 1, layers: top, new_layers: copy}
        """,
        "scratch.yaml": """
        name: t-scratch
        seed: 5
        threads: 2
        model: {layers: 2, hidden: 32, heads: 4, ffn_hidden: 128, \(model)}
        parametrization: {kind: mup, base_hidden: 16, learning_rate: 4.0e-3, min_learning_rate: 4.0e-4, init_std: 0.02}
        \(data)
        optimizer: {warmup_steps: 2, weight_decay: 0.1, grad_clip: 1.0}
        training: {steps: 12, batch_sequences: 4, micro_batch: 2, eval_every: 12, checkpoint_every: 12, log_every: 100}
        """,
        "proxy.yaml": """
        name: t-proxy
        seed: 9
        threads: 2
        model: {layers: 1, hidden: 16, heads: 2, ffn_hidden: 64, \(model)}
        parametrization: {kind: mup, base_hidden: 16, learning_rate: 4.0e-3, min_learning_rate: 4.0e-4, init_std: 0.02, head_width: fixed}
        \(data)
        optimizer: {warmup_steps: 2, weight_decay: 0.1, grad_clip: 1.0}
        training: {steps: 6, batch_sequences: 4, micro_batch: 4, eval_every: 6, checkpoint_every: 6, log_every: 100}
        """,
        "suite.yaml": """
        name: t-suite
        system: local
        step_time:
          base: base.yaml
          steps: 3
          shapes: [{layers: 1, hidden: 16}, {layers: 2, hidden: 32}]
        growth: {growth: growth.yaml, scratch: scratch.yaml}
        loss: {proxy: proxy.yaml, widths: [16, 24, 32, 40], targets: [64]}
        """,
    ]
    for (name, text) in files { try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
    return dir + "/suite.yaml"
}

@Suite(.serialized) struct ValidationSuiteTests {
    @Test func tinySuiteRunsRecordsAndReusesItsRuns() throws {
        let corpora = try makeSyntheticCorpora(tag: "validate")
        let suitePath = try writeTinySuite(corpora: corpora)
        let suite = try ValidationSuite.load(path: suitePath)
        let db = NSTemporaryDirectory() + "gb-validate-\(UUID().uuidString).sqlite"
        let store = try ResultStore(path: db)
        let work = NSTemporaryDirectory() + "gb-validate-out-\(UUID().uuidString)"
        var runner = ValidationRunner(suite: suite, system: try syntheticProfile(), store: store, corpora: nil,
                                      command: "test", toolVersion: "test")
        runner.outputRoot = work
        let report = try runner.run()
        // 2 shapes + the growth run's shapes (small; big after depth, after heads, after ffn) + 1 scratch stage.
        #expect(report.time.count == 7)
        #expect(report.time.allSatisfy { $0.predictedStepSeconds > 0 && $0.measuredStepSeconds > 0 && $0.measuredSeconds > 0 })
        #expect(report.time.map(\.shape) == ["1×16/64", "2×32/128", "1×16/64", "2×16/64", "2×32/64", "2×32/128", "2×32/128"])
        #expect(report.time.map(\.stage) == ["t-base-1x16", "t-base-2x32", "small", "big +depth", "big +heads", "big +ffn", "t-scratch"])
        #expect(report.time.filter { $0.run == "t-growth" }.map(\.steps) == [8, 1, 1, 2])
        let saving = try #require(report.saving)
        // Growth trains fewer FLOPs on the same tokens, so the model predicts a saving; at this toy size the
        // measurement is dominated by fixed costs and may not show one, so only its finiteness is checked.
        #expect(saving.predictedSaving > 0 && saving.measuredSaving.isFinite, "\(saving)")
        let loss = try #require(report.loss)
        #expect(loss.proxies.map(\.width) == [16, 24, 32, 40])
        #expect(loss.fit != nil || loss.fitFailure != nil)
        if loss.fit != nil { #expect(loss.targets.count == 1 && loss.targets[0].ratio > 2) }
        let text = report.renderText()
        #expect(text.contains("Step and stage time") && text.contains("Growth vs scratch") && text.contains("Loss from µP proxies"))
        try ValidationPage.write(report, to: work + "/page")
        #expect(try String(contentsOfFile: work + "/page/index.html", encoding: .utf8).contains("<svg"))
        #expect(!report.metrics().isEmpty)

        // Everything is in the database now: a second run trains nothing and measures the same numbers.
        let again = try runner.run()
        #expect(again.time.map(\.measuredSeconds) == report.time.map(\.measuredSeconds))
        #expect(again.time.map(\.runId) == report.time.map(\.runId))
        #expect(try store.runs(kind: .train).count == 2 + 2 + 4 + 1)
    }

    @Test func badSuitesAreRefusedByFileLineAndField() throws {
        func errors(_ text: String) -> [String] {
            let path = NSTemporaryDirectory() + "gb-bad-\(UUID().uuidString).yaml"
            try? text.write(toFile: path, atomically: true, encoding: .utf8)
            do { _ = try ValidationSuite.load(path: path); return [] } catch let e as ConfigErrors {
                return e.errors.map(\.description)
            } catch { return ["\(error)"] }
        }
        let few = errors("name: s\nloss: {proxy: p.yaml, widths: [64, 128, 256], targets: [512]}\n")
        #expect(few.contains { $0.contains(":2:") && $0.contains("loss.widths") && $0.contains("at least 4 proxy widths") }, "\(few)")
        let shape = errors("name: s\nstep_time:\n  base: b.yaml\n  shapes: [{layers: 0, hidden: 64}]\n")
        #expect(shape.contains { $0.contains("layers") && $0.contains("between 1 and 2048") }, "\(shape)")
        let empty = errors("name: s\n")
        #expect(empty.contains { $0.contains("at least one of step_time, growth, loss") }, "\(empty)")
        let unknown = errors("name: s\ngrowth: {growth: g.yaml, scratch: s.yaml, extra: 1}\n")
        #expect(unknown.contains { $0.contains("growth.extra") }, "\(unknown)")
    }
}

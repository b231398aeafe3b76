import Testing
import Foundation
import ConfigFile
import Growth
import ModelKit
import ResultStore
@testable import Training

/// A tiny three-stage µP growth schedule over the synthetic corpora: depth then heads (ramps of 3), then FFN
/// with an LR rewind. 64 tokens per step: stage steps 8, 7, 5.
func tinyGrowthText(corpora: String, checkpointEvery: Int = 4, stage1: String = "", growth1: String = "",
                    stage2Model: String = "{ffn_hidden: 64}", growth2: String = "{order: [ffn], ramp_steps: 3, lr: rewind}") -> String {
    """
    name: test-growth
    seed: 5
    threads: 2
    parametrization: {kind: mup, base_hidden: 16, learning_rate: 4.0e-3, min_learning_rate: 4.0e-4, init_std: 0.02}
    data:
      dir: \(corpora)
      validation_fraction: 0.2
      mixture: {prose: 0.6, code: 0.4}
      eval_bytes: 256
    optimizer: {weight_decay: 0.1, grad_clip: 1.0}
    training: {micro_batch: 2, eval_every: 10, checkpoint_every: \(checkpointEvery), log_every: 100}
    stages:
      - name: small
        model: {layers: 1, hidden: 16, heads: 2, ffn_hidden: 32, vocab: 256, seq_length: 16, activation: swiglu,
                norm: rmsnorm, position: rope, tied_embeddings: false, linear_biases: false}
        tokens: 512
        batch_sequences: 4
        lr: {warmup_samples: 8}
      - name: mid
        model: {layers: 2, hidden: 24, heads: 3\(stage1)}
        tokens: 448
        batch_sequences: 4
        lr: {warmup_samples: 4}
        growth: {order: [depth, heads], ramp_steps: 3, layers: top, new_layers: copy\(growth1)}
      - name: big
        model: \(stage2Model)
        tokens: 320
        batch_sequences: 4
        growth: \(growth2)
    """
}

@Suite(.serialized) struct GrowthScheduleTests {
    @Test func planPlacesGrowthsRampsAndLearningRates() throws {
        let config = try TrainConfigLoader.parse(text: tinyGrowthText(corpora: "c"), path: "g.yaml")
        let plan = config.plan
        #expect(plan.stageStarts == [1, 9, 16] && plan.totalSteps == 20)
        #expect(plan.events.map(\.step) == [9, 12, 16])
        #expect(plan.events.map(\.growth.op) == [.depth, .heads, .ffn])
        #expect(plan.ramp(at: 8) == nil)
        #expect(plan.ramp(at: 10)?.value == 1.0 / 3)
        #expect(plan.ramp(at: 12)?.event.growth.op == .heads && plan.ramp(at: 12)?.value == 0)
        #expect(plan.ramp(at: 15) == nil)
        #expect(plan.shape(afterStep: 11).layers == 2 && plan.shape(afterStep: 11).hidden == 16)
        #expect(plan.shape(afterStep: 12).hidden == 24 && plan.shape(afterStep: 20).ffnHidden == 64)
        // Stage 1 continues the run's cosine with a 1-step re-warmup; stage 2 rewinds to the peak with no warmup.
        let base = LearningRateSchedule(peak: 4e-3, minimum: 4e-4, warmup: 2, total: 20)
        #expect(plan.learningRate(at: 9) == base.rate(at: 9))
        #expect(plan.learningRate(at: 16) == LearningRateSchedule(peak: 4e-3, minimum: 4e-4, warmup: 0, total: 5).rate(at: 1))
        #expect(plan.tokens(throughStep: 20) == 1280)
        #expect(config.model.layers == 2 && config.model.ffnHidden == 64 && config.training.steps == 20)
    }

    @Test func growthRunTrainsThroughEveryStageAndKeepsTheGrownShape() throws {
        let corpora = try makeCorpora()
        let dir = temporaryDirectory("grow")
        let config = try TrainConfigLoader.parse(text: tinyGrowthText(corpora: corpora), path: "g.yaml")
        var options = TrainOptions(outputDirectory: dir)
        options.quiet = true
        let trainer = try Trainer(config: config, options: options)
        let summary = try trainer.run()
        #expect(summary.status == .completed && summary.steps == 20)
        #expect(trainer.model.architecture == config.model && trainer.model.growthMask == nil)
        #expect(summary.stages?.map(\.steps) == [8, 7, 5])
        #expect(summary.curve.filter { $0.mask != nil }.map(\.step) == [9, 10, 11, 12, 13, 14, 16, 17, 18])
        #expect(summary.curve.allSatisfy { $0.loss.isFinite })
        let flops = try #require(summary.countedFlops)
        #expect(abs(flops - (summary.stages ?? []).map(\.countedFlops).reduce(0, +)) <= 1e-6 * flops)
    }

    /// Stopped right after a growth and inside a ramp, then resumed in a new process-like trainer: the same
    /// curve as the uninterrupted run, bit for bit.
    @Test func resumeInsideARampReproducesTheCurve() throws {
        let corpora = try makeCorpora()
        let text = tinyGrowthText(corpora: corpora)
        let config = try TrainConfigLoader.parse(text: text, path: "g.yaml")
        var options = TrainOptions(outputDirectory: temporaryDirectory("grow-full"))
        options.quiet = true
        let reference = try Trainer(config: config, options: options).run().curve.map(\.loss)
        for stop in [9, 13] {
            var o = TrainOptions(outputDirectory: temporaryDirectory("grow-stop\(stop)"))
            o.quiet = true
            o.stopAfterStep = stop
            _ = try Trainer(config: config, options: o).run()
            o.stopAfterStep = nil
            o.resume = true
            let resumed = try Trainer(config: config, options: o)
            #expect(resumed.resumedFromStep == (stop / 4) * 4)
            #expect(resumed.model.architecture == config.plan.shape(afterStep: (stop / 4) * 4))
            let curve = try resumed.run().curve.map(\.loss)
            #expect(curve == reference, "stopped after step \(stop)")
        }
    }

    /// kill -9 inside the heads ramp (checkpoint at step 12, right after that growth), then --resume via the CLI.
    @Test func sigkillInsideARampThenResumeGivesTheUninterruptedCurve() throws {
        let corpora = try makeCorpora()
        let dir = temporaryDirectory("growkill")
        let config = dir + "/growth.yaml"
        try tinyGrowthText(corpora: corpora).write(toFile: config, atomically: true, encoding: .utf8)
        let db = dir + "/runs.sqlite"
        let full = try runGrowthbench(["train", config, "--out", dir + "/full", "--db", db, "--json"])
        #expect(full.status == 0, "\(full.stderr)")
        let reference = try JSONDecoder().decode(TrainSummary.self, from: Data(full.stdout.utf8)).curve.map(\.loss)
        let killed = try runGrowthbench(["train", config, "--out", dir + "/k", "--db", db, "--json", "--debug-sigkill-after-step", "14"])
        #expect(killed.signalled && killed.status == SIGKILL)
        let resumed = try runGrowthbench(["train", config, "--out", dir + "/k", "--db", db, "--json", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let summary = try JSONDecoder().decode(TrainSummary.self, from: Data(resumed.stdout.utf8))
        #expect(summary.resumedFromStep == 12)
        #expect(summary.curve.map(\.loss) == reference)
        let store = try ResultStore(path: db)
        let run = try #require(try store.runs(kind: .train).last)
        #expect(try store.curve(runId: run.id!, series: "stage").map(\.value).last == 2)
        #expect(try store.curve(runId: run.id!, series: "growth_mask").count == 9)
    }

    func errors(_ text: String) -> [String] {
        do { _ = try TrainConfigLoader.parse(text: text, path: "bad.yaml"); return [] } catch let e as ConfigErrors {
            return e.errors.map(\.description)
        } catch { return ["\(error)"] }
    }

    @Test func badSchedulesAreRefusedByFileLineAndField() throws {
        let shrink = errors(tinyGrowthText(corpora: "c", stage2Model: "{ffn_hidden: 16}", growth2: "{order: [ffn], ramp_steps: 2}"))
        #expect(shrink.contains { $0.contains("bad.yaml:") && $0.contains("stages[2].model.ffn_hidden") && $0.contains("never shrinks") }, "\(shrink)")
        let heads = errors(tinyGrowthText(corpora: "c", stage1: ", head_dim: 6"))
        #expect(heads.contains { $0.contains("stages[1].model.heads") && $0.contains("head width") }, "\(heads)")
        let ramp = errors(tinyGrowthText(corpora: "c", growth2: "{order: [ffn], ramp_steps: 6}"))
        #expect(ramp.contains { $0.contains("stages[2].growth.ramp_steps") && $0.contains("expected at most 5") }, "\(ramp)")
        let unknown = errors(tinyGrowthText(corpora: "c", growth2: "{order: [ffn, width], ramp_steps: 2}"))
        #expect(unknown.contains { $0.contains("stages[2].growth.order") && $0.contains("found 'width'") }, "\(unknown)")
        let missing = errors(tinyGrowthText(corpora: "c", growth2: "{order: [depth], ramp_steps: 2}"))
        #expect(missing.contains { $0.contains("expected 'ffn' in the order") }, "\(missing)")
        #expect(missing.contains { $0.contains("expected no 'depth'") }, "\(missing)")
        let line = try #require(shrink.first { $0.contains("ffn_hidden") })
        #expect(line.hasPrefix("bad.yaml:26: "), "\(line)")  // the line of stage 2's model
    }
}

/// The final shape of `tinyGrowthText` trained from scratch on the same 1,280 tokens.
func tinyScratchText(corpora: String) -> String {
    let growth = tinyGrowthText(corpora: corpora)
    let head = growth[..<growth.range(of: "stages:")!.lowerBound].replacingOccurrences(of: "name: test-growth", with: "name: test-scratch")
    return head + """
    stages:
      - name: big
        model: {layers: 2, hidden: 24, heads: 3, ffn_hidden: 64, vocab: 256, seq_length: 16, activation: swiglu,
                norm: rmsnorm, position: rope, tied_embeddings: false, linear_biases: false}
        tokens: 1280
        batch_sequences: 4
        lr: {warmup_samples: 8}
    """
}

@Suite(.serialized) struct MeasuredCompareTests {
    /// `compare --train` trains both schedules, prints the measured comparison and writes charts; a second call
    /// reuses both runs from the database and prints the same numbers.
    @Test func compareTrainMeasuresThenReuses() throws {
        let corpora = try makeCorpora()
        let dir = temporaryDirectory("cmp")
        try tinyGrowthText(corpora: corpora).write(toFile: dir + "/growth.yaml", atomically: true, encoding: .utf8)
        try tinyScratchText(corpora: corpora).write(toFile: dir + "/scratch.yaml", atomically: true, encoding: .utf8)
        let db = dir + "/runs.sqlite"
        let args = ["compare", dir + "/growth.yaml", dir + "/scratch.yaml", "--train", "--db", db, "--out", dir + "/cmp", "--json"]
        let first = try runGrowthbench(args)
        #expect(first.status == 0, "\(first.stderr)")
        let a = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as! [String: Any]
        let growth = a["growth"] as! [String: Any], scratch = a["scratch"] as! [String: Any]
        #expect(growth["reused"] as? Bool == false && scratch["reused"] as? Bool == false)
        let saving = try #require(a["timeSaving"] as? Double)
        let speedup = try #require(a["speedupAtEqualTokens"] as? Double)
        #expect(abs((1 - saving) * speedup - 1) < 1e-9)
        #expect(a["growthFinalBPB"] is Double && a["scratchFinalBPB"] is Double)
        let svg = try String(contentsOfFile: dir + "/cmp/loss-vs-tokens.svg", encoding: .utf8)
        #expect(svg.components(separatedBy: "fill=\"#e8a33d\"").count - 1 == 3, "three growth ramps shaded")
        #expect(svg.contains(">mid<") && svg.contains(">big<"), "stage starts marked")
        #expect(FileManager.default.fileExists(atPath: dir + "/cmp/index.html"))

        let second = try runGrowthbench(args)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("reusing finished run"))
        let b = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as! [String: Any]
        #expect((b["growth"] as! [String: Any])["reused"] as? Bool == true)
        #expect(b["timeSaving"] as? Double == saving)
        let text = try runGrowthbench(Array(args.dropLast()))
        #expect(text.stdout.contains("At equal tokens (FLM-101B's framing)") && text.stdout.contains("At equal loss"), "\(text.stdout)")
    }
}

/// The shipped mini growth schedule and its scratch counterpart (issue 13's requirements on them).
@Suite struct ShippedGrowthScheduleTests {
    func load(_ name: String) throws -> TrainConfig {
        let path = #filePath.replacingOccurrences(of: "Tests/TrainingTests/GrowthScheduleTests.swift", with: "Scenarios/mini/\(name).yaml")
        return try TrainConfigLoader.load(path: path).config
    }

    @Test func growthIsFLMLikeAndScratchTrainsItsFinalShapeOnTheSameTokens() throws {
        let growth = try load("growth"), scratch = try load("scratch")
        let stages = try #require(growth.schedule)
        #expect(stages.count == 3)
        let plan = growth.plan
        let tokens = plan.tokens(throughStep: plan.totalSteps)
        // FLM-101B's shares 245.37 / 39.64 / 26.54 of 311.55B, within one point each.
        for (k, share) in [245.37, 39.64, 26.54].map({ $0 / 311.55 }).enumerated() {
            let stageTokens = Double(stages[k].steps * stages[k].batchSequences * stages[k].model.sequenceLength)
            #expect(abs(stageTokens / tokens - share) < 0.01, "stage \(k)")
        }
        let first = ParameterCount(stages[0].model).total, last = ParameterCount(stages[2].model).total
        #expect(Double(last) >= 6 * Double(first))
        #expect(stages[2].model.layers > stages[0].model.layers && stages[2].model.hidden > stages[0].model.hidden)
        #expect(scratch.schedule?.count == 1 && scratch.model == growth.model)
        #expect(scratch.plan.tokens(throughStep: scratch.plan.totalSteps) == tokens)
        #expect(scratch.seed == growth.seed && scratch.data == growth.data && scratch.widthScaling == growth.widthScaling)
    }
}

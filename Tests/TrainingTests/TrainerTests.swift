import Testing
import Foundation
import Corpus
@testable import Training

@Suite struct TrainerTests {
    /// Same config and seed ⇒ the same loss curve, bit for bit; and the model learns (the loss falls).
    @Test func deterministicAndLearning() throws {
        let corpora = try makeCorpora()
        let config = try tinyConfig(corpora: corpora, steps: 30)
        func run() throws -> TrainSummary {
            var o = TrainOptions(outputDirectory: temporaryDirectory("det")); o.quiet = true
            return try Trainer(config: config, options: o).run()
        }
        let a = try run(), b = try run()
        #expect(a.curve.map(\.loss) == b.curve.map(\.loss))
        #expect(a.curve.map(\.gradientNorm) == b.curve.map(\.gradientNorm))
        #expect(a.evaluation == b.evaluation)
        #expect(a.status == .completed && a.steps == 30)
        let first = a.curve.prefix(3).map(\.loss).reduce(0, +) / 3, last = a.curve.suffix(3).map(\.loss).reduce(0, +) / 3
        #expect(last < first - 0.8, "loss \(first) → \(last)")
        // Evaluated at eval_every and at the end; the weighted sums lie between the domains' BPB.
        #expect(a.evaluations.map(\.step) == [6, 12, 18, 24, 30])
        let bpbs = a.evaluation!.domains.map(\.bitsPerByte)
        for w in a.evaluation!.weighted { #expect(w.bitsPerByte >= bpbs.min()! && w.bitsPerByte <= bpbs.max()!) }
    }

    /// Resuming from a checkpoint in process continues the exact curve of an uninterrupted run.
    @Test func resumeContinuesTheExactCurve() throws {
        let corpora = try makeCorpora()
        let full = try tinyConfig(corpora: corpora, steps: 12, checkpointEvery: 4)
        var o = TrainOptions(outputDirectory: temporaryDirectory("full")); o.quiet = true
        let reference = try Trainer(config: full, options: o).run()

        // Same config, "crashing" after step 10 (the last checkpoint is step 8), then resumed.
        let outDir = temporaryDirectory("resume")
        var first = TrainOptions(outputDirectory: outDir); first.quiet = true; first.stopAfterStep = 10
        let crashed = try Trainer(config: full, options: first).run()
        #expect(crashed.steps == 10)
        var again = TrainOptions(outputDirectory: outDir); again.quiet = true; again.resume = true
        let resumed = try Trainer(config: full, options: again).run()
        #expect(resumed.resumedFromStep == 8)
        #expect(resumed.steps == 12)
        #expect(resumed.curve.map(\.step) == Array(1...12))
        #expect(resumed.curve.map(\.loss) == reference.curve.map(\.loss))
        #expect(resumed.evaluation == reference.evaluation)
    }

    @Test func nanStopsTheRunAsDiverged() throws {
        let corpora = try makeCorpora()
        let config = try tinyConfig(corpora: corpora, steps: 20, lr: 1e6)
        var o = TrainOptions(outputDirectory: temporaryDirectory("nan")); o.quiet = true
        let s = try Trainer(config: config, options: o).run()
        #expect(s.status == .diverged)
        #expect(s.steps < 20)
        let message = try #require(s.message)
        #expect(message.contains("diverged at step \(s.steps + 1)"))
        #expect(message.contains("not a number") || message.contains("infinite"), "\(message)")
        #expect(!message.contains("nan") && !message.contains(" inf"), "non-finite values are described, not printed")
    }

    @Test func missingCorpusNamesTheFileAndTheFix() throws {
        let config = try tinyConfig(corpora: "/nonexistent/corpora")
        var o = TrainOptions(outputDirectory: temporaryDirectory("missing")); o.quiet = true
        do { _ = try Trainer(config: config, options: o); Issue.record("expected an error") } catch {
            #expect("\(error)".contains("/nonexistent/corpora/prose.txt"))
            #expect("\(error)".contains("make corpora"))
        }
    }
}

import Testing
import Foundation
import MiniGPT
import ResultStore
@testable import MuTransfer

@Suite(.serialized) struct SweepTests {
    @Test func gridPointsAndKeys() throws {
        let corpora = try makeCorpora()
        let (spec, _, _) = try SweepSpecLoader.load(path: try writeTinySweep(corpora: corpora))
        #expect(spec.points.count == 2 * 2 * 2)
        #expect(Set(spec.points.map(\.key)).count == spec.points.count)
        #expect(spec.points.first?.key == "sp/w16/lr0.001")
    }

    /// A sweep records every point; running it again runs nothing; a point whose record is gone is the only
    /// one that runs again (a killed sweep continues with the missing runs only).
    @Test func sweepIsResumable() throws {
        let corpora = try makeCorpora()
        let (spec, base, source) = try SweepSpecLoader.load(path: try writeTinySweep(corpora: corpora))
        let dbPath = NSTemporaryDirectory() + "gb-sweep-\(UUID()).sqlite"
        let store = try ResultStore(path: dbPath)
        let out = NSTemporaryDirectory() + "gb-sweep-out-\(UUID())"
        func runner() -> SweepRunner {
            SweepRunner(spec: spec, base: base, source: source, store: store, outputDirectory: out, corpora: nil,
                        command: "test", toolVersion: "test")
        }
        var calls = 0
        let first = try runner().run { _, _, _, _ in calls += 1 }
        #expect(calls == 8 && first.count == 8)
        #expect(first.allSatisfy { $0.validationBPB != nil })
        calls = 0
        _ = try runner().run { _, _, _, _ in calls += 1 }
        #expect(calls == 0)
        // Mark one point as interrupted: only it runs again.
        let victim = first[3]
        try store.finishRun(victim.runId, status: .running, resultJSON: nil)
        calls = 0
        let again = try runner().run { _, _, p, _ in calls += 1; #expect(p == victim.point) }
        #expect(calls == 1 && again.count == 8)
        // Same seed, same data: the re-run point reproduces its loss.
        let redo = try #require(again.first { $0.point == victim.point })
        #expect(redo.validationBPB == victim.validationBPB)
    }

    /// The verdicts of TP5 Figure 1, on made-up results: a stable optimum and a shifting one.
    @Test func analysisMeasuresShiftAndMonotonicity() throws {
        let corpora = try makeCorpora()
        let (spec, _, _) = try SweepSpecLoader.load(path: try writeTinySweep(corpora: corpora, widths: "[16, 32, 64]", lrs: "[1.0e-3, 2.0e-3, 4.0e-3]"))
        var results: [PointResult] = []
        for (i, p) in spec.points.enumerated() {
            let lrIndex = spec.learningRates.firstIndex(of: p.learningRate)!
            let wIndex = spec.widths.firstIndex(of: p.width)!
            // µP: optimum at the middle LR for all widths, wider is better; SP: optimum moves one step per width.
            let optimum = p.kind == .mup ? 1 : max(0, 2 - wIndex)
            let bpb = 3.0 - 0.1 * Double(wIndex) + 0.05 * Double(abs(lrIndex - optimum))
            let diverged = p.kind == .standard && p.width == 64 && lrIndex == 2
            results.append(PointResult(point: p, runId: Int64(i), diverged: diverged, validationBPB: diverged ? nil : bpb,
                                       finalTrainLoss: nil, trainSeconds: 0))
        }
        let a = SweepAnalysis(spec: spec, results: results)
        let mup = try #require(a.verdicts.first { $0.kind == .mup }), sp = try #require(a.verdicts.first { $0.kind == .standard })
        #expect(mup.bestLRShiftSteps == 0 && mup.monotoneInWidthAtBestLR == true)
        #expect(sp.bestLRShiftSteps == 2 && sp.widthsDivergingWhereNarrowTrains == [64])
        #expect(a.complete)
        #expect(SweepPlot.render(a, title: "t").contains("<path"))
    }
}

/// A repeated value in a sweep list is refused (it would make two runs of one point: two array tasks writing
/// one checkpoint on a cluster).
@Suite struct SweepDuplicateTests {
    @Test func repeatedValuesAreRefusedByField() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let path = NSTemporaryDirectory() + "gb-dup-sweep-\(UUID().uuidString).yaml"
        try """
        name: dup
        train: \(root)/Scenarios/mini/mup-proxy.yaml
        widths: [64, 128]
        parametrizations: [mup]
        learning_rates: [0.01, 1e-2]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect { _ = try SweepSpecLoader.load(path: path) } throws: {
            "\($0)".contains("learning_rates: expected distinct values, found 0.01 more than once")
        }
    }
}

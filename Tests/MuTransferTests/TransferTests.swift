import Foundation
import ResultStore
import Testing
import Training
@testable import MuTransfer

/// µTransfer end to end on the tiny sweep: the proxy's best µP LR is trained at the target width with a grid
/// around it; stored runs are reused only for the same sweep and the same target config.
@Suite(.serialized) struct TransferTests {
    @Test func transfersTheProxyOptimumAndReusesOnlyMatchingRuns() throws {
        let corpora = try makeCorpora()
        let sweepPath = try writeTinySweep(corpora: corpora)
        let (spec, base, source) = try SweepSpecLoader.load(path: sweepPath)
        let store = try ResultStore(path: NSTemporaryDirectory() + "gb-transfer-\(UUID()).sqlite")
        let out = NSTemporaryDirectory() + "gb-transfer-out-\(UUID())"
        let results = try SweepRunner(spec: spec, base: base, source: source, store: store, outputDirectory: out,
                                      corpora: nil, command: "test", toolVersion: "test").run { _, _, _, _ in }
        let proxyPath = (sweepPath as NSString).deletingLastPathComponent + "/proxy.yaml"
        let targetSource = try String(contentsOfFile: proxyPath, encoding: .utf8)
        let target = try TrainConfigLoader.parse(text: targetSource, path: proxyPath).atWidth(64)

        func transfer(_ text: String, _ config: TrainConfig, calls: inout [Double]) throws -> TransferReport {
            var seen: [Double] = []
            let r = try Transfer.run(sweep: spec, sweepSource: source, results: results, proxyWidth: 16, target: config,
                                     targetSource: text, targetPath: proxyPath, gridSteps: 1, store: store,
                                     outputDirectory: out, corpora: nil, command: "test", toolVersion: "test") { _, _, lr in
                seen.append(lr)
            }
            calls = seen
            return r
        }
        var calls: [Double] = []
        let report = try transfer(targetSource, target, calls: &calls)
        let best = try Transfer.bestPoint(results, width: 16)
        #expect(report.transferredLearningRate == best.point.learningRate)
        #expect(report.targetWidth == 64 && report.runs.count == 3 && calls.count == 3)
        #expect(Set(report.runs.map(\.factor)) == [0.5, 1, 2])
        #expect(report.runs.allSatisfy { $0.validationBPB != nil })
        let gap = try #require(report.relativeGap)
        #expect(gap >= 0)   // the transferred run is one of the grid's, so it cannot beat the grid's best

        // Same sweep, same target: every run comes from the database, same numbers.
        let again = try transfer(targetSource, target, calls: &calls)
        #expect(calls.isEmpty && again.runs == report.runs)

        // An edited target config (here a comment) is another configuration: its runs are trained afresh.
        let edited = targetSource + "\n# edited\n"
        _ = try transfer(edited, target, calls: &calls)
        #expect(calls.count == 3)
    }
}

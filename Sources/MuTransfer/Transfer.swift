import Foundation
import MiniGPT
import ResultStore
import Training

/// µTransfer: take the best hyper-parameters a sweep found at a narrow proxy width, map them through µP to the
/// target width, train there, and check the choice against a small LR grid trained at the target width.
public struct TransferReport: Sendable, Equatable, Codable {
    public struct Run: Sendable, Equatable, Codable {
        public var learningRate: Double
        /// LR / transferred LR, a power of two on the grid.
        public var factor: Double
        public var runId: Int64
        public var validationBPB: Double?
        public var diverged: Bool
    }
    public var sweep: String
    public var proxyWidth: Int
    public var targetWidth: Int
    public var transferredLearningRate: Double
    public var transferredHyper: HyperParameters
    public var runs: [Run]
    public var transferredBPB: Double?
    public var bestGridBPB: Double?
    public var bestGridLearningRate: Double?
    /// (transferred − best) / best; within 1% is the issue's acceptance.
    public var relativeGap: Double?
}

public enum Transfer {
    /// The proxy's best point: lowest validation BPB among µP runs at `width`.
    public static func bestPoint(_ results: [PointResult], width: Int) throws -> PointResult {
        let candidates = results.filter { $0.point.kind == .mup && $0.point.width == width && $0.validationBPB != nil }
        guard let best = candidates.min(by: { $0.validationBPB! < $1.validationBPB! }) else {
            throw SweepError.noResults("the sweep has no finished µP run at width \(width); run `growthbench sweep` first")
        }
        return best
    }

    public static func run(sweep spec: SweepSpec, sweepSource: String, results: [PointResult], proxyWidth: Int, target: TrainConfig,
                           targetSource: String, targetPath: String, gridSteps: Int, store: ResultStore,
                           outputDirectory: String, corpora: String?, command: String, toolVersion: String,
                           progress: (Int, Int, Double) -> Void) throws -> TransferReport {
        let best = try bestPoint(results, width: proxyWidth)
        guard var scaling = target.widthScaling, scaling.kind == .mup else {
            throw SweepError.invalid("the target config must use parametrization.kind: mup")
        }
        let ratio = scaling.hyper.minLearningRate / scaling.hyper.learningRate
        scaling.hyper.learningRate = best.point.learningRate
        scaling.hyper.matrixLearningRate = best.point.learningRate
        scaling.hyper.minLearningRate = best.point.learningRate * ratio
        if let s = best.point.initStd { scaling.hyper.initStd = s; scaling.hyper.matrixInitStd = s }
        if let o = best.point.outputMultiplier { scaling.hyper.outputMultiplier = o }
        let transferredHyper = scaling.hyper

        let factors = (-gridSteps...gridSteps).map { pow(2, Double($0)) }
        // Stored runs are keyed by the sweep's and the target config's fingerprints as well as the widths, so an
        // edited sweep or target never reuses runs of another configuration.
        let fingerprints = "\(SweepRunner.fingerprint(of: sweepSource))-\(SweepRunner.fingerprint(of: targetSource))"
        let prefix = "transfer/\(spec.name)/\(fingerprints)/w\(proxyWidth)->w\(target.model.hidden)/"
        var finished: [String: TransferReport.Run] = [:]
        for run in try store.runs(kind: .transfer) where run.stage?.hasPrefix(prefix) == true {
            guard run.status == .completed || run.status == .diverged, let json = run.resultJSON,
                  let s = try? JSONDecoder().decode(TrainSummary.self, from: Data(json.utf8)) else { continue }
            let lr = Double(run.stage!.dropFirst(prefix.count)) ?? .nan
            finished[run.stage!] = TransferReport.Run(learningRate: lr, factor: lr / best.point.learningRate, runId: run.id!,
                validationBPB: s.status == .completed ? (s.evaluation?.weighted.first { $0.name == "mixture" } ?? s.evaluation?.weighted.first)?.bitsPerByte : nil,
                diverged: s.status == .diverged)
        }
        var runs: [TransferReport.Run] = []
        // The transferred point first, then the grid around it.
        for (i, factor) in ([1.0] + factors.filter { $0 != 1 }).enumerated() {
            let lr = best.point.learningRate * factor
            let stage = prefix + "\(lr)"
            if let r = finished[stage] { runs.append(r); continue }
            progress(i, factors.count, lr)
            var c = target
            var s = scaling
            s.hyper.learningRate = lr
            s.hyper.matrixLearningRate = lr
            s.hyper.minLearningRate = lr * ratio
            c.widthScaling = s
            c.applyWidthScaling()
            c.name = "\(target.name)-transfer-lr\(lr)"
            let dir = (outputDirectory as NSString).appendingPathComponent("\(fingerprints)/w\(proxyWidth)/lr\(lr)")
            var options = TrainOptions(outputDirectory: dir)
            options.quiet = true
            options.corporaDirectory = corpora
            options.resume = FileManager.default.fileExists(atPath: options.checkpointPath)
            let trainer = try Trainer(config: c, options: options)
            let recorder = try RunRecorder(store: store, config: c, configPath: targetPath, source: targetSource,
                                           command: command, toolVersion: toolVersion, resumes: trainer.previousRunId,
                                           resumedStep: trainer.resumedFromStep, kind: .transfer, stage: stage)
            trainer.runId = recorder.runId
            var summary = try trainer.run(recorder: recorder)
            summary.runId = recorder.runId
            try recorder.finish(summary, json: String(decoding: try JSONEncoder().encode(summary), as: UTF8.self))
            let bpb = summary.status == .completed ? (summary.evaluation?.weighted.first { $0.name == "mixture" } ?? summary.evaluation?.weighted.first)?.bitsPerByte : nil
            runs.append(TransferReport.Run(learningRate: lr, factor: factor, runId: recorder.runId, validationBPB: bpb,
                                           diverged: summary.status == .diverged))
        }
        runs.sort { $0.learningRate < $1.learningRate }
        let transferred = runs.first { $0.factor == 1 }?.validationBPB
        let bestGrid = runs.compactMap { r in r.validationBPB.map { (r.learningRate, $0) } }.min { $0.1 < $1.1 }
        return TransferReport(sweep: spec.name, proxyWidth: proxyWidth, targetWidth: target.model.hidden,
                              transferredLearningRate: best.point.learningRate, transferredHyper: transferredHyper,
                              runs: runs, transferredBPB: transferred, bestGridBPB: bestGrid?.1,
                              bestGridLearningRate: bestGrid?.0,
                              relativeGap: transferred.flatMap { t in bestGrid.map { (t - $0.1) / $0.1 } })
    }
}

extension TransferReport {
    public func renderText() -> String {
        var out = ["µTransfer from sweep \(sweep): best µP learning rate at width \(proxyWidth) = \(String(format: "%.3g", transferredLearningRate)) (2^\(Int(log2(transferredLearningRate).rounded()))), applied at width \(targetWidth) through µP", ""]
        var lines: [String] = []
        for r in runs {
            let mark = r.factor == 1 ? "  ← transferred" : ""
            lines.append(String(format: "  LR %-10.3g (×%-5.3g) ", r.learningRate, r.factor)
                         + (r.validationBPB.map { String(format: "val BPB %.4f", $0) } ?? (r.diverged ? "diverged" : "—")) + mark)
        }
        out += lines
        out.append("")
        if let gap = relativeGap, let best = bestGridLearningRate {
            out.append(String(format: "Transferred choice: %.4f bits/byte; best on the grid: %.4f at LR %.3g; gap %+.2f%% (acceptance: within 1%%)",
                              transferredBPB!, bestGridBPB!, best, gap * 100) + " → " + (abs(gap) <= 0.01 ? "PASS" : "FAIL"))
        }
        return out.joined(separator: "\n")
    }
}

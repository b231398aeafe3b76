import CurveFit
import Foundation
import ModelKit
import MuTransfer
import ResultStore
import Training

/// µScaling (FLM-101B §3; `../shared/research/flm-papers.md`): the final validation loss of µP proxies at several
/// widths, L(N) = a·N^b + c fitted over their non-embedding parameters N, extrapolated to wider targets.
public struct LossPrediction: Codable, Sendable, Equatable {
    public struct Target: Codable, Sendable, Equatable {
        public var width: Int
        public var parameters: Int
        /// N relative to the widest proxy's.
        public var ratio: Double
        public var predicted: PowerLawPrediction.Interval
    }
    /// Where the proxies' losses came from (a trainer file trained on demand, or a sweep's µP-best points).
    public var source: String
    public var proxies: [LossPoint]
    public var fit: PowerLawPrediction?
    public var fitFailure: String?
    /// Empty when the fit failed: nothing is predicted from a fit that did not converge.
    public var targets: [Target]

    /// Fits the proxies and predicts each target width of `config`'s family.
    public static func make(source: String, proxies: [LossPoint], targets: [(width: Int, parameters: Int)]) -> LossPrediction {
        do {
            let fit = try PowerLawPrediction.fit(xs: proxies.map { Double($0.parameters) }, ys: proxies.map(\.bitsPerByte))
            let widest = Double(proxies.map(\.parameters).max() ?? 1)
            return LossPrediction(source: source, proxies: proxies, fit: fit, fitFailure: nil, targets: targets.map {
                Target(width: $0.width, parameters: $0.parameters, ratio: Double($0.parameters) / widest,
                       predicted: fit.predict(Double($0.parameters)))
            })
        } catch {
            return LossPrediction(source: source, proxies: proxies, fit: nil, fitFailure: "\(error)", targets: [])
        }
    }

    public func renderText() -> String {
        var out = "Loss prediction (µScaling: L(N) = a·N^b + c over non-embedding parameters N; validation bits per byte)\n"
        out += "proxies: \(source)\n"
        for p in proxies {
            out += String(format: "  proxy  width %5d  N %10d  run %4lld  %.4f bpb\n", p.width, p.parameters, p.runId, p.bitsPerByte)
        }
        guard let f = fit else {
            return out + "the fit failed: \(fitFailure ?? "unknown reason"); nothing is predicted"
        }
        out += String(format: "  fit    a = %.4g ± %.2g   b = %.4f ± %.4f   c = %.4f ± %.4f   (%d proxies, residual s = %.4f)\n",
                      f.law.a, f.standardErrors[0], f.law.b, f.standardErrors[1], f.law.c, f.standardErrors[2], f.points,
                      f.residualVariance.squareRoot())
        for t in targets {
            out += String(format: "  target width %5d  N %10d (%.1f× the widest proxy)  predicted %.4f bpb, %.0f%% interval [%.4f, %.4f]\n",
                          t.width, t.parameters, t.ratio, t.predicted.value, 100 * t.predicted.level, t.predicted.lower, t.predicted.upper)
        }
        return out
    }
}

public enum LossPredictorError: Error, CustomStringConvertible {
    case noLoss(String)
    case sweep(String)
    public var description: String {
        switch self { case let .noLoss(why), let .sweep(why): why }
    }
}

/// Gathers proxy losses: trained on demand (reused by fingerprint) or read from a µP sweep in the database.
public enum LossPredictor {
    /// The proxy trainer file at `width` (µP transfer of its hyper-parameters), trained or reused.
    public static func point(_ base: TrainConfig, width: Int, path: String, source: String, store: ResultStore,
                             corpora: String?, outputRoot: String = "out", command: String, toolVersion: String,
                             log: (String) -> Void) throws -> LossPoint {
        let config = try base.atWidth(width)
        log("width \(width): \(ParameterCount(config.model).nonEmbedding) non-embedding parameters")
        let (summary, id, _) = try RecordedTraining.finishedOrTrain(
            config, path: path, source: source, store: store, corpora: corpora, outputRoot: outputRoot, quiet: true,
            command: command, toolVersion: toolVersion, log: log)
        guard let bpb = mixtureBPB(summary) else {
            throw LossPredictorError.noLoss("\(path): width \(width) has no final validation loss")
        }
        return LossPoint(width: width, parameters: summary.nonEmbeddingParameters, runId: id, bitsPerByte: bpb)
    }

    /// Target widths of the proxy family with their non-embedding parameters.
    public static func targets(_ base: TrainConfig, widths: [Int]) throws -> [(width: Int, parameters: Int)] {
        try widths.map { ($0, ParameterCount(try base.atWidth($0).model).nonEmbedding) }
    }

    static func mixtureBPB(_ s: TrainSummary) -> Double? {
        (s.evaluation?.weighted.first { $0.name == "mixture" } ?? s.evaluation?.weighted.first)?.bitsPerByte
    }

    /// The µP points of a finished sweep at each width's best learning rate (lowest validation BPB).
    public static func sweepProxies(_ path: String, store: ResultStore) throws -> (points: [LossPoint], base: TrainConfig) {
        let (spec, base, source) = try SweepSpecLoader.load(path: path)
        let runner = SweepRunner(spec: spec, base: base, source: source, store: store, outputDirectory: "out/sweep-\(spec.name)",
                                 corpora: nil, command: "", toolVersion: "")
        let done = try runner.finished()
        var points: [LossPoint] = []
        for width in spec.widths {
            let results = done.values.filter { $0.point.width == width && $0.point.kind == .mup && !$0.diverged && $0.validationBPB != nil }
            guard let best = results.min(by: { $0.validationBPB! < $1.validationBPB! }) else { continue }
            let model = try best.point.config(from: base).model
            points.append(LossPoint(width: width, parameters: ParameterCount(model).nonEmbedding, runId: best.runId,
                                    bitsPerByte: best.validationBPB!))
        }
        guard !points.isEmpty else {
            throw LossPredictorError.sweep("\(path): no finished µP points of this sweep in the database; run `growthbench sweep \(path)` first")
        }
        return (points, base)
    }
}

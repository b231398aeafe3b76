import Foundation
import ConfigFile
import MiniGPT
import Training
import ModelKit

/// A hyper-parameter sweep over widths and parametrisations (Scenarios/mini/*-sweep.yaml).
public struct SweepSpec: Sendable, Equatable, Codable {
    public var name: String
    /// The training config every point starts from (path as written, resolved against the sweep file).
    public var trainPath: String
    public var widths: [Int]
    public var parametrizations: [ParametrizationKind]
    /// Values of learning_rate = matrix_learning_rate (min_learning_rate keeps its ratio to learning_rate).
    public var learningRates: [Double]
    public var initStds: [Double]?
    public var outputMultipliers: [Double]?

    /// Every point of the grid, in the order they run (parametrisation, LR, width, …: narrow widths first so a
    /// partial sweep already shows every LR).
    public var points: [SweepPoint] {
        var out: [SweepPoint] = []
        let stds: [Double?] = initStds.map { $0.map { Optional($0) } } ?? [nil]
        let mults: [Double?] = outputMultipliers.map { $0.map { Optional($0) } } ?? [nil]
        for kind in parametrizations {
            for std in stds {
                for mult in mults {
                    for lr in learningRates {
                        for w in widths {
                            out.append(SweepPoint(kind: kind, width: w, learningRate: lr, initStd: std, outputMultiplier: mult))
                        }
                    }
                }
            }
        }
        return out
    }
}

/// One run of a sweep.
public struct SweepPoint: Sendable, Equatable, Hashable, Codable {
    public var kind: ParametrizationKind
    public var width: Int
    public var learningRate: Double
    public var initStd: Double?
    public var outputMultiplier: Double?

    /// Stable identifier (stored as the run's stage, used to resume a sweep).
    public var key: String {
        var k = "\(kind.rawValue)/w\(width)/lr\(learningRate)"
        if let initStd { k += "/std\(initStd)" }
        if let outputMultiplier { k += "/out\(outputMultiplier)" }
        return k
    }

    /// The base config at this point: width, parametrisation kind and hyper-parameters.
    public func config(from base: TrainConfig) throws -> TrainConfig {
        guard var scaling = base.widthScaling else {
            throw SweepError.invalid("the training config needs a high-level parametrization (kind, base_hidden, …) to be swept")
        }
        let ratio = scaling.hyper.minLearningRate / scaling.hyper.learningRate
        scaling.kind = kind
        scaling.hyper.learningRate = learningRate
        scaling.hyper.matrixLearningRate = learningRate
        scaling.hyper.minLearningRate = learningRate * ratio
        if let initStd { scaling.hyper.initStd = initStd; scaling.hyper.matrixInitStd = initStd }
        if let outputMultiplier { scaling.hyper.outputMultiplier = outputMultiplier }
        var c = base
        c.widthScaling = scaling
        c = try c.atWidth(width)
        c.name = "\(base.name)-\(key.replacingOccurrences(of: "/", with: "-"))"
        return c
    }
}

public enum SweepError: Error, CustomStringConvertible {
    case invalid(String)
    case noResults(String)
    public var description: String {
        switch self {
        case let .invalid(why): why
        case let .noResults(why): why
        }
    }
}

public enum SweepSpecLoader {
    public static func load(path: String) throws -> (SweepSpec, TrainConfig, source: String) {
        let doc = try ConfigDocument(path: path)
        guard let r = doc.rootMapping() else { try doc.throwIfErrors(); throw ConfigErrors(doc.errors) }
        let name = r.fileName("name")
        let train = r.string("train")
        func list<T>(_ key: String, _ kind: String, _ parse: (String) -> T?) -> [T]? {
            r.optional(key, "a list of \(kind)") { n in
                guard let seq = n.sequence else { return nil }
                let items = seq.compactMap { $0.scalar.flatMap { parse($0.string) } }
                return items.count == seq.count && !items.isEmpty ? items : nil
            }
        }
        let widthRange = ModelArchitecture.limits["hidden"]!.range
        let widths = list("widths", "widths between 1 and \(widthRange.upperBound)") { Int($0).flatMap { widthRange.contains($0) ? $0 : nil } }
        let kinds = list("parametrizations", "sp or mup") { ParametrizationKind(rawValue: $0.lowercased()) }
        var lrs = list("learning_rates", "positive numbers") { Double($0).flatMap { $0 > 0 ? $0 : nil } }
        if let g = r.optionalMapping("learning_rate_grid") {
            // Powers of two: 2^from … 2^to (TP5 Figure 1 plots loss against log2 LR).
            let from = g.int("log2_from", in: -64...8, "a power of two"), to = g.int("log2_to", in: -64...8, "a power of two")
            g.rejectUnknownKeys()
            if let from, let to {
                if from > to { g.report("log2_to", "expected at least log2_from (\(from)), found \(to)") }
                else if lrs != nil { r.report("learning_rate_grid", "expected either learning_rates or learning_rate_grid, not both") }
                else { lrs = (from...to).map { Foundation.pow(2, Double($0)) } }
            }
        }
        if lrs == nil && !r.has("learning_rate_grid") { r.report("learning_rates", "missing: give learning_rates or learning_rate_grid") }
        let stds = list("init_stds", "positive numbers") { Double($0).flatMap { $0 > 0 ? $0 : nil } }
        let mults = list("output_mults", "positive numbers") { Double($0).flatMap { $0 > 0 ? $0 : nil } }
        if widths == nil && !r.has("widths") { r.report("widths", "missing required list of widths") }
        if kinds == nil && !r.has("parametrizations") { r.report("parametrizations", "missing: list sp and/or mup") }
        r.rejectUnknownKeys()
        try doc.throwIfErrors()
        guard let name, let train, let widths, let kinds, let lrs else { throw ConfigErrors(doc.errors) }
        let trainPath = train.hasPrefix("/") ? train
            : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(train)
        let (base, source) = try TrainConfigLoader.load(path: trainPath)
        guard let scaling = base.widthScaling else {
            throw ConfigErrors([ConfigError(file: trainPath, line: nil, field: "parametrization.kind",
                                            message: "expected a high-level parametrization (kind: sp|mup, base_hidden, learning_rate, …) for a sweep")])
        }
        for w in widths where w % scaling.baseHidden != 0 && scaling.kind == .mup || w <= 0 {
            throw ConfigErrors([ConfigError(file: path, line: nil, field: "widths", message: "expected multiples of base_hidden (\(scaling.baseHidden)), found \(w)")])
        }
        let spec = SweepSpec(name: name, trainPath: trainPath, widths: widths.sorted(), parametrizations: kinds,
                             learningRates: lrs.sorted(), initStds: stds, outputMultipliers: mults)
        // Each point is one run with one checkpoint folder: a list with a repeated value would make two runs of one
        // point (on a cluster, two array tasks writing the same checkpoint).
        for (field, values) in [("widths", widths.map { "\($0)" }), ("parametrizations", kinds.map(\.rawValue)),
                                ("learning_rates", lrs.map { "\($0)" }), ("init_stds", (stds ?? []).map { "\($0)" }),
                                ("output_mults", (mults ?? []).map { "\($0)" })] {
            if let repeated = values.first(where: { v in values.filter { $0 == v }.count > 1 }) {
                throw ConfigErrors([ConfigError(file: path, line: nil, field: field,
                                                message: "expected distinct values, found \(repeated) more than once")])
            }
        }
        for p in spec.points { _ = try p.config(from: base) }   // every width must be buildable
        return (spec, base, source)
    }
}

/// Loads a training config (re-exported so the CLI needs only this module for µTransfer).
public enum TrainConfigLoaderFacade {
    public static func load(_ path: String) throws -> (TrainConfig, String) {
        let (c, s) = try TrainConfigLoader.load(path: path)
        return (c, s)
    }
}

import ConfigFile
import CurveFit
import ModelKit
import Foundation

/// A validation suite file (`Scenarios/mini/validation.yaml`): which mini runs to train (or reuse) and what the
/// simulator must predict about them. Paths are relative to the suite file.
public struct ValidationSuite: Sendable {
    /// Step-time runs: the base trainer config at each (layers, hidden), trained for `steps` steps.
    public struct StepTime: Sendable {
        public var base: String
        public var steps: Int
        public var shapes: [(layers: Int, hidden: Int)]
    }
    /// Growth vs scratch: two trainer files (a growth schedule and the final shape from scratch).
    public struct GrowthPair: Sendable {
        public var growth: String
        public var scratch: String
    }
    /// Loss prediction: µP proxies of `proxy` at `widths`, the fit, and wider `targets` trained to check it.
    public struct Loss: Sendable {
        public var proxy: String
        public var widths: [Int]
        public var targets: [Int]
    }

    public var name: String
    public var description: String
    public var path: String
    public var source: String
    public var system: String
    public var stepTime: StepTime?
    public var growth: GrowthPair?
    public var loss: Loss?

    public static func load(path: String) throws -> ValidationSuite {
        let source = try ConfigDocument.readText(path: path)
        let doc = try ConfigDocument(text: source, file: path)
        let dir = (path as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : (dir as NSString).appendingPathComponent(p) }
        guard let root = doc.rootMapping() else {
            doc.report(doc.root, "", "expected a mapping with name, system and at least one of step_time, growth, loss")
            try doc.throwIfErrors()
            throw ConfigError(file: path, line: nil, field: "", message: "expected a mapping")
        }
        let name = root.fileName("name") ?? ""
        let description = root.string("description", default: "")
        let system = root.string("system", default: "local")
        var stepTime: StepTime?
        if let r = root.optionalMapping("step_time") {
            let base = r.string("base")
            let steps = r.int("steps", in: 3...100_000, "a number of steps (at least 3: the first is warm-up)", default: 6)
            var shapes: [(Int, Int)] = []
            let entries = r.mappings("shapes")
            for s in entries {
                let layers = s.int("layers", in: ModelArchitecture.limits["layers"]!.range, "a number of layers")
                let hidden = s.int("hidden", in: ModelArchitecture.limits["hidden"]!.range, "a hidden width")
                s.rejectUnknownKeys()
                if let layers, let hidden { shapes.append((layers, hidden)) }
            }
            if entries.isEmpty { r.report("shapes", "expected a list of {layers, hidden}") }
            r.rejectUnknownKeys()
            if let base { stepTime = StepTime(base: resolve(base), steps: steps, shapes: shapes) }
        }
        var growth: GrowthPair?
        if let r = root.optionalMapping("growth") {
            if let g = r.string("growth"), let s = r.string("scratch") { growth = GrowthPair(growth: resolve(g), scratch: resolve(s)) }
            r.rejectUnknownKeys()
        }
        var loss: Loss?
        if let r = root.optionalMapping("loss") {
            let proxy = r.string("proxy")
            let widths = ints(r, "widths"), targets = ints(r, "targets")
            if widths.count < PowerLawPrediction.minimumPoints {
                r.report("widths", "expected at least \(PowerLawPrediction.minimumPoints) proxy widths (the fit L(N) = a·N^b + c has 3 parameters and needs one more for an interval), found \(widths.count)")
            }
            r.rejectUnknownKeys()
            if let proxy { loss = Loss(proxy: resolve(proxy), widths: widths, targets: targets) }
        }
        root.rejectUnknownKeys()
        if stepTime == nil && growth == nil && loss == nil && doc.errors.isEmpty {
            root.report("step_time", "expected at least one of step_time, growth, loss")
        }
        try doc.throwIfErrors()
        return ValidationSuite(name: name, description: description, path: path, source: source, system: system,
                               stepTime: stepTime, growth: growth, loss: loss)
    }

    private static func ints(_ r: MappingReader, _ key: String) -> [Int] {
        guard let n = r.node(key) else { r.report(key, "missing required field (expected a list of widths)"); return [] }
        let values = n.sequence?.compactMap(Parse.int) ?? []
        let range = ModelArchitecture.limits["hidden"]!.range
        if values.count != (n.sequence?.count ?? -1) || values.contains(where: { !range.contains($0) }) {
            r.report(key, "expected a list of widths between 1 and \(range.upperBound)")
        }
        return values
    }
}

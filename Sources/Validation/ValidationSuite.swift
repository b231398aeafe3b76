import ConfigFile
import CurveFit
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
        let doc = try ConfigDocument(path: path)
        let source = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let dir = (path as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : (dir as NSString).appendingPathComponent(p) }
        guard let root = doc.rootMapping() else {
            doc.report(doc.root, "", "expected a mapping with name, system and at least one of step_time, growth, loss")
            try doc.throwIfErrors()
            throw ConfigError(file: path, line: nil, field: "", message: "expected a mapping")
        }
        let name = root.string("name") ?? ""
        let description = root.string("description", default: "")
        let system = root.string("system", default: "local")
        var stepTime: StepTime?
        if let r = root.optionalMapping("step_time") {
            let base = r.string("base")
            let steps = r.int("steps", default: 6)
            if steps < 3 { r.report("steps", "expected at least 3 steps (the first is warm-up), found \(steps)") }
            var shapes: [(Int, Int)] = []
            for s in r.mappings("shapes") {
                let layers = s.int("layers"), hidden = s.int("hidden")
                if let layers, layers < 1 { s.report("layers", "expected a positive layer count, found \(layers)") }
                if let hidden, hidden < 1 { s.report("hidden", "expected a positive width, found \(hidden)") }
                s.rejectUnknownKeys()
                if let layers, let hidden { shapes.append((layers, hidden)) }
            }
            if shapes.isEmpty { r.report("shapes", "expected a list of {layers, hidden}") }
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
        if values.count != (n.sequence?.count ?? -1) || values.contains(where: { $0 < 1 }) {
            r.report(key, "expected a list of positive integers")
        }
        return values
    }
}

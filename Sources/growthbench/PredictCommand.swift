import ArgumentParser
import Foundation
import ResultStore
import Training
import Validation

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict a wider model's loss from µP proxies (µScaling: L(N) = a·N^b + c, GSL fit, 95% prediction interval).",
        discussion: """
        From a validation suite's loss section (proxies trained on this machine, or reused from the database), or with
        --sweep from a finished µP sweep in the database (each width at its best learning rate). Needs at least 4
        proxies (3 parameters and one degree of freedom for the interval); a fit that does not converge predicts nothing.
        """)

    @Argument(help: "Validation suite YAML (its loss: proxy, widths, targets). Omit with --sweep.")
    var suite: String?

    @Option(name: .long, help: "Read the proxies from this µP sweep's finished points instead of training them.")
    var sweep: String?

    @Option(name: .long, parsing: .upToNextOption, help: "Target widths to predict (default: the suite's targets).")
    var width: [Int] = []

    @Option(name: .long, help: "Folder with the domain .txt files (overrides the proxy config's data.dir).")
    var corpora: String?

    @OptionGroup var options: CommonOptions

    func run() throws {
        BLASSpinWait.shortenByReexecutingIfNeeded()
        let store = try options.store()
        let log: (String) -> Void = { FileHandle.standardError.write(Data("predict: \($0)\n".utf8)) }
        let prediction: LossPrediction
        let name: String, path: String, source: String
        if let sweep {
            let (points, base) = try LossPredictor.sweepProxies(sweep, store: store)
            guard !width.isEmpty else { throw ValidationError("--sweep needs --width W (the widths to predict)") }
            let targets = try LossPredictor.targets(base, widths: width)
            prediction = LossPrediction.make(source: "sweep \(sweep), µP at each width's best learning rate", proxies: points, targets: targets)
            (name, path, source) = (base.name, sweep, (try? String(contentsOfFile: sweep, encoding: .utf8)) ?? "")
        } else {
            guard let suite else { throw ValidationError("expected a validation suite file, or --sweep SWEEP.yaml") }
            let spec = try ValidationSuite.load(path: suite)
            guard let loss = spec.loss else { throw ValidationError("\(suite): loss: missing section (expected proxy, widths, targets)") }
            let (base, proxySource) = try TrainConfigLoader.load(path: loss.proxy)
            let points = try loss.widths.map {
                try LossPredictor.point(base, width: $0, path: loss.proxy, source: proxySource, store: store, corpora: corpora,
                                        command: commandLine, toolVersion: GrowthBench.version, log: log)
            }
            let targets = try LossPredictor.targets(base, widths: width.isEmpty ? loss.targets : width)
            prediction = LossPrediction.make(source: "\(loss.proxy) trained at each width", proxies: points, targets: targets)
            (name, path, source) = (spec.name, suite, spec.source)
        }
        let run = CommandRun(.predict, name: name, path: path, source: source, options: options)
        let (_, json) = try run.record({ prediction }, metrics: { p in
            p.targets.map { MetricRecord(stage: "width\($0.width)", name: "predicted_bpb", value: $0.predicted.value, unit: "bits/byte") }
        })
        print(options.json ? json : prediction.renderText() + run.footer)
        try run.finish()
        if prediction.fit == nil { throw ExitCode(2) }
    }
}

import ArgumentParser
import Foundation
import MuTransfer
import ResultStore
import Training

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hyper-parameter sweep over LR (and optionally init std, output multiplier) × widths × SP/µP; resumable; TP5 Figure 1.",
        discussion: "Every point is a training run stored in the results database; running the command again continues with the missing points only.")

    @Argument(help: "Sweep YAML file (e.g. Scenarios/mini/mup-sweep.yaml).")
    var sweep: String

    @Option(help: "Folder for checkpoints and the figure (default out/sweep-<name>).")
    var out: String?

    @Option(help: "Folder with the domain .txt files (overrides the training config's data.dir).")
    var corpora: String?

    @Flag(help: "Only print the analysis of the runs already in the database.")
    var reportOnly = false

    @OptionGroup var options: CommonOptions

    @OptionGroup(title: "Slurm cluster") var cluster: ClusterOptions

    func validate() throws { try cluster.check(reportOnly: reportOnly) }

    func run() throws {
        if cluster.slurm { return try submitToSlurm() }
        let (spec, base, source) = try SweepSpecLoader.load(path: sweep)
        let dir = out ?? "out/sweep-\(spec.name)"
        let store = try options.store()
        let runner = SweepRunner(spec: spec, base: base, source: source, store: store, outputDirectory: dir,
                                 corpora: corpora, command: commandLine, toolVersion: GrowthBench.version)
        let shard = try cluster.parsedShard()
        runner.only = shard.map { Set($0.select(spec.points).map(\.key)) }
        let clock = Date()
        let results: [PointResult]
        if reportOnly {
            let done = try runner.finished()
            results = spec.points.compactMap { done[$0.key] }
        } else {
            results = try runner.run { done, total, point, eta in
                let bar = String(repeating: "█", count: done * 30 / max(total, 1)).padding(toLength: 30, withPad: "·", startingAt: 0)
                let etaText = eta.map { String(format: "ETA %.0f min", $0 / 60) } ?? "ETA …"
                FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) runs · now \(point.key) · \(String(format: "%.0f", Date().timeIntervalSince(clock))) s · \(etaText)   ".utf8))
            }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        if let shard {   // one array task: the merged database gets the figure and verdicts
            let report = ShardReport(sweep: spec.name, shard: shard.description, points: results)
            return print(options.json ? try JSON.encode(report) : report.renderText() + "\n\nRecorded in \(options.db).")
        }
        let analysis = SweepAnalysis(spec: spec, results: results)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let figure = (dir as NSString).appendingPathComponent("tp5-figure1.svg")
        try SweepPlot.render(analysis, title: "\(spec.name): validation loss vs learning rate, by width (cf. Tensor Programs V, Figure 1)")
            .write(toFile: figure, atomically: true, encoding: .utf8)
        let json = try JSON.encode(analysis)
        try json.write(toFile: (dir as NSString).appendingPathComponent("analysis.json"), atomically: true, encoding: .utf8)
        let recorded = RecordedSummary(db: options.db) {
            let id = try store.beginRun(kind: .sweep, scenarioId: nil, stage: "summary/\(spec.name)", command: commandLine, toolVersion: GrowthBench.version)
            try store.finishRun(id, status: analysis.complete ? .completed : .failed, resultJSON: json, metrics: analysis.curves.compactMap { c in
                c.bestLearningRate.map { MetricRecord(stage: "\(c.kind.rawValue)/w\(c.width)", name: "best_learning_rate", value: $0, unit: "lr") }
            })
            return id
        }
        print(options.json ? json : analysis.renderText() + "\n\nFigure: \(figure)" + recorded.footer)
        try recorded.finish()
    }
}

struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "µTransfer: take a sweep's best µP hyper-parameters at a narrow width, train a wider model with them, check against an LR grid there.")

    @Option(name: .customLong("from"), help: "Sweep YAML file whose results are in the database.")
    var from: String

    @Option(name: .customLong("to"), help: "Training config of the target (parametrization.kind: mup).")
    var to: String

    @Option(help: "Target width (default: the config's model.hidden).")
    var width: Int?

    @Option(help: "Proxy width whose best LR is transferred (default: the sweep's narrowest).")
    var proxyWidth: Int?

    @Option(help: "LR grid at the target: transferred LR × 2^k for k = -grid…grid.")
    var grid: Int = 2

    @Option(help: "Folder with the domain .txt files.")
    var corpora: String?

    @OptionGroup var options: CommonOptions

    func run() throws {
        let (spec, base, source) = try SweepSpecLoader.load(path: from)
        let store = try options.store()
        let runner = SweepRunner(spec: spec, base: base, source: source, store: store, outputDirectory: "out/sweep-\(spec.name)",
                                 corpora: corpora, command: commandLine, toolVersion: GrowthBench.version)
        let done = try runner.finished()
        let results = spec.points.compactMap { done[$0.key] }
        var (target, targetSource) = try TrainConfigLoaderFacade.load(to)
        if let width { target = try target.atWidth(width) }
        let report = try Transfer.run(sweep: spec, sweepSource: source, results: results, proxyWidth: proxyWidth ?? spec.widths.first!, target: target,
                                      targetSource: targetSource, targetPath: to, gridSteps: grid, store: store,
                                      outputDirectory: "out/transfer-\(spec.name)-w\(target.model.hidden)", corpora: corpora,
                                      command: commandLine, toolVersion: GrowthBench.version) { i, n, lr in
            FileHandle.standardError.write(Data("transfer: run \(i + 1) of \(n), LR \(String(format: "%.3g", lr))\n".utf8))
        }
        let json = try JSON.encode(report)
        let recorded = RecordedSummary(db: options.db) {
            let id = try store.beginRun(kind: .transfer, scenarioId: nil, stage: "summary/\(spec.name)", command: commandLine, toolVersion: GrowthBench.version)
            try store.finishRun(id, status: .completed, resultJSON: json, metrics: report.relativeGap.map {
                [MetricRecord(stage: nil, name: "transfer_gap", value: $0, unit: "fraction")]
            } ?? [])
            return id
        }
        print(options.json ? json : report.renderText() + recorded.footer)
        try recorded.finish()
    }
}

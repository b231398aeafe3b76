import ArgumentParser
import Foundation
import GrowthComparison
import RunCost
import ResultStore
import Training
import Validation

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Two scenarios side by side (e.g. growth vs scratch): days, GPU-hours, dollars, FLOPs, time saving, speedup.",
        discussion: """
        With --train, A and B are mini-trainer schedules (Scenarios/mini/growth.yaml, scratch.yaml): both are trained on
        this machine (or finished runs of the same config fingerprint and thread count are reused from the database)
        and compared as measured: training time, tokens, FLOPs, validation BPB, time saving and speedup at equal
        tokens and at equal loss; charts and an HTML page go to OUT (default out/compare-<A>-vs-<B>).
        """)

    @Argument(help: "Scenario A (e.g. the growth schedule).")
    var a: String
    @Argument(help: "Scenario B (e.g. the final model from scratch).")
    var b: String

    @Flag(inversion: .prefixedNo, help: "Count failures; default: each scenario's run.failures.")
    var failures: Bool?

    @Flag(name: .long, help: "Train both mini schedules on this machine (or reuse finished runs) and compare measurements.")
    var train = false

    @Option(name: .long, help: "With --train: folder for the charts, HTML page and JSON (default: out/compare-<A>-vs-<B>).")
    var out: String?

    @Option(name: .long, help: "With --train: folder with the domain .txt files (overrides data.dir).")
    var corpora: String?

    @Option(name: .long, help: "Without --train: price both mini-trainer files on a one-device profile ('local', from `calibrate`).")
    var system: String?

    @OptionGroup var options: CommonOptions

    func run() throws {
        if train { return try runMeasured() }
        if let system {
            let (growth, config, source) = try options.oneDeviceEstimate(a, system: system)
            let scratch = try options.oneDeviceEstimate(b, system: system).0
            let run = CommandRun(.compare, name: config.name, path: a, source: source, stage: "system/\(system)", options: options)
            let (pair, json) = try run.record({ OneDeviceComparison(a: growth, b: scratch) }, metrics: { c in [
                MetricRecord(stage: nil, name: "time_saving", value: c.timeSaving, unit: "fraction"),
                MetricRecord(stage: nil, name: "speedup", value: c.speedup, unit: "x"),
            ] })
            print(options.json ? json : OneDeviceText.comparison(pair.a, pair.b) + run.footer)
            try run.finish()
            return
        }
        let (sa, refs) = try options.loadScenario(a)
        let (sb, _) = try options.loadScenario(b)
        let systems = try options.systems(dataDir: try options.dataDirectory(near: [a]))
        let run = CommandRun(.compare, scenario: sa, options: options)
        run.alsoRecord(sb)
        let (c, json) = try run.record({
            RunComparison(a: try Estimator.estimate(sa, systems: systems, references: refs, failures: failures),
                          b: try Estimator.estimate(sb, systems: systems, references: refs, failures: failures),
                          references: refs, paper: sa.reference)
        }, metrics: { c in [
            MetricRecord(stage: nil, name: "time_saving", value: c.timeSaving, unit: "fraction"),
            MetricRecord(stage: nil, name: "speedup", value: c.speedup, unit: "x"),
            MetricRecord(stage: nil, name: "days_a", value: c.a.days, unit: "days"),
            MetricRecord(stage: nil, name: "days_b", value: c.b.days, unit: "days"),
        ] })
        print(options.json ? json : c.renderText() + run.footer)
        try run.finish()
    }

    /// Growth vs scratch measured by the trainer (issue 13).
    func runMeasured() throws {
        BLASSpinWait.shortenByReexecutingIfNeeded()
        let store = try options.store()
        func measured(_ path: String) throws -> MeasuredRun {
            let (config, source) = try TrainConfigLoader.load(path: path)
            let (summary, id, reused) = try RecordedTraining.finishedOrTrain(
                config, path: path, source: source, store: store, corpora: corpora, command: commandLine,
                toolVersion: GrowthBench.version, log: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
            return MeasuredRun(name: config.name, path: path, runId: id, reused: reused, summary: summary)
        }
        let growth = try measured(a), scratch = try measured(b)
        let weighting = growth.finalEvaluation?.weighted.first?.name ?? "mixture"
        let comparison = MeasuredComparison(growth: growth, scratch: scratch, weighting: weighting)
        let refs = try? options.references(dataDir: try options.dataDirectory(near: [a]))
        let text = comparison.renderText(paperSaving: refs?.figure(paper: "flm-101b", stage: "total", quantity: "time_saving")?.value,
                                         paperSpeedup: refs?.figure(paper: "flm-101b", stage: "total", quantity: "speedup")?.value)
        let dir = out ?? "out/compare-\(growth.name)-vs-\(scratch.name)"
        let (_, source) = try TrainConfigLoader.load(path: a)
        let run = CommandRun(.compare, name: growth.name, path: a, source: source, stage: "measured", options: options)
        let (_, json) = try run.record({ () throws -> MeasuredComparison in
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try comparison.lossVsTokensSVG.write(toFile: dir + "/loss-vs-tokens.svg", atomically: true, encoding: .utf8)
            try comparison.lossVsTimeSVG.write(toFile: dir + "/loss-vs-time.svg", atomically: true, encoding: .utf8)
            try comparison.html(text: text).write(toFile: dir + "/index.html", atomically: true, encoding: .utf8)
            return comparison
        }, metrics: { c in
            var m = [
                MetricRecord(stage: nil, name: "measured_time_saving", value: c.timeSaving, unit: "fraction"),
                MetricRecord(stage: nil, name: "measured_speedup_equal_tokens", value: c.speedupAtEqualTokens, unit: "x"),
                MetricRecord(stage: nil, name: "growth_train_seconds", value: c.growthSeconds, unit: "s"),
                MetricRecord(stage: nil, name: "scratch_train_seconds", value: c.scratchSeconds, unit: "s"),
                MetricRecord(stage: nil, name: "growth_run", value: Double(c.growth.runId), unit: "run"),
                MetricRecord(stage: nil, name: "scratch_run", value: Double(c.scratch.runId), unit: "run"),
            ]
            if let g = c.bpbGap { m.append(MetricRecord(stage: nil, name: "final_bpb_gap", value: g, unit: "bits/byte")) }
            if let k = c.speedupAtEqualLoss { m.append(MetricRecord(stage: nil, name: "measured_speedup_equal_loss", value: k, unit: "x")) }
            return m
        })
        try json.write(toFile: dir + "/comparison.json", atomically: true, encoding: .utf8)
        print(options.json ? json : text + "\n\nCharts and page: \(dir)/index.html" + run.footer)
        try run.finish()
    }
}

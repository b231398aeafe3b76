import ArgumentParser
import Foundation
import CoordCheck
import MiniGPT
import ResultStore
import Training

struct CoordCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordcheck",
        abstract: "µP coordinate check: mean |x| of every activation against width over the first training steps.",
        discussion: """
        CONFIG is a training config with `parametrization: {kind: sp|mup, base_hidden: …}`. For each width (the \
        config at that width: FFN in proportion, heads by parametrization.head_width), trains --steps steps on one fixed batch (same \
        batch and seed at every width, constant LR) and records mean |x| of the embeddings, attention logits, \
        attention output, MLP output, block output and logits; step 1 is at initialisation. Fits the log-log \
        slope of each activation against width per step. Under µP every slope must be within ±0.15 (apart from \
        attention logits and logits at step 1 when query / readout are not zero-initialised); under SP at a large \
        LR at least one slope must exceed 0.3. Writes OUT/coordcheck.svg and OUT/coordcheck.json. Exit status 1 \
        when the parametrisation does not behave as expected (µP not flat, SP not growing).
        """)

    @Argument(help: "Training config YAML file (with parametrization.kind).")
    var config: String

    @Option(name: .long, help: "Comma-separated widths (multiples of the head width; of the head count with head_width: grows).")
    var widths: String = "64,128,256,512"

    @Option(name: .long, help: "Recorded steps per width (step 1 = at init).")
    var steps: Int = 5

    @Option(name: .long, help: "Parametrisation to check: sp or mup (default: the config's).")
    var param: String?

    @Option(name: .long, help: "Base-width learning rate for every parameter class (overrides learning_rate and matrix_learning_rate).")
    var lr: Double?

    @Option(name: .long, help: "Sequences in the fixed batch (default: training.batch_sequences).")
    var batch: Int?

    @Option(name: .long, help: "Initialisation seeds averaged per width (the batch stays the same).")
    var seeds: Int = 1

    @Flag(name: .long, help: "Start query and readout at zero (overrides zero_query and zero_readout; microsoft/mup's recommendation).")
    var zeroInit = false

    @Option(name: .long, help: "Folder with the domain .txt files (overrides data.dir).")
    var corpora: String?

    @Option(name: .long, help: "Output folder (default: out/coordcheck-<param>).")
    var out: String?

    @OptionGroup var options: CommonOptions

    func run() throws {
        BLASSpinWait.shortenByReexecutingIfNeeded()
        let (cfg, source) = try TrainConfigLoader.load(path: config)
        let kind: ParametrizationKind?
        if let param {
            guard let k = ParametrizationKind(rawValue: param) else {
                throw ValidationError("--param must be sp or mup, found '\(param)'")
            }
            kind = k
        } else { kind = nil }
        let widthList = try widths.split(separator: ",").map { part -> Int in
            guard let w = Int(part.trimmingCharacters(in: .whitespaces)), w > 0 else {
                throw ValidationError("--widths expects comma-separated positive integers, found '\(widths)'")
            }
            return w
        }
        let opts = CoordCheckOptions(widths: widthList, steps: steps, kind: kind, learningRate: lr,
                                     corporaDirectory: corpora, batchSequences: batch, seeds: seeds,
                                     zeroInit: zeroInit ? true : nil)
        let prepared = try CoordCheck.prepare(cfg, opts)
        let kindName = prepared.widthScaling!.kind.rawValue
        let outDir = out ?? "out/coordcheck-\(kindName)"

        let run = CommandRun(.coordcheck, name: cfg.name, path: config, source: source, options: options)
        let progress = CoordCheckProgress(widths: widthList, steps: steps, seeds: seeds)
        let (result, json) = try run.record({
            let r = try CoordCheck.run(config: cfg, options: opts) { progress.show($0) }
            progress.finish()
            return r
        }, metrics: Self.metrics)
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        let svgPath = (outDir as NSString).appendingPathComponent("coordcheck.svg")
        let jsonPath = (outDir as NSString).appendingPathComponent("coordcheck.json")
        try CoordCheckReport.svg(result).write(toFile: svgPath, atomically: true, encoding: .utf8)
        try json.write(toFile: jsonPath, atomically: true, encoding: .utf8)
        if options.json {
            print(json)
            try run.finish()
        } else {
            print(CoordCheckReport.render(result))
            let expectation = result.parametrization == .mup
                ? "expected under µP: every checked slope within ±\(Verdict.tolerance), or outside by less than \(Int(Verdict.significance)) seed standard errors"
                : "expected under SP: at least one slope above +\(Verdict.growthThreshold)"
            print("\(expectation) — \(result.verdict.expectationMet ? "met" : "NOT met")")
            print("\nPlot: \(svgPath)\nJSON: \(jsonPath)" + run.footer)
            try run.finish()
        }
        if !result.verdict.expectationMet { throw ExitCode(1) }
    }

    static func metrics(_ r: CoordCheckResult) -> [MetricRecord] {
        var m: [MetricRecord] = [
            MetricRecord(stage: nil, name: "coordcheck_pass", value: r.verdict.flat ? 1 : 0, unit: "bool"),
            MetricRecord(stage: nil, name: "expectation_met", value: r.verdict.expectationMet ? 1 : 0, unit: "bool"),
            MetricRecord(stage: nil, name: "failing_slopes", value: Double(r.verdict.failures.count), unit: "count"),
            MetricRecord(stage: nil, name: "growing_slopes", value: Double(r.verdict.growing.count), unit: "count"),
        ]
        if let l = r.verdict.largestSlope?.slope {
            m.append(MetricRecord(stage: nil, name: "max_abs_slope", value: abs(l), unit: "log-log slope"))
        }
        for s in r.slopes {
            guard let v = s.slope else { continue }
            m.append(MetricRecord(stage: "step \(s.step)", name: "slope:\(s.activation.rawValue)", value: v,
                                  unit: "log-log slope"))
        }
        return m
    }
}

/// "coordcheck: width 256 (3/4), step 2/5" on stderr, rewritten in place on a terminal.
final class CoordCheckProgress: @unchecked Sendable {
    let widths: [Int]
    let steps: Int
    let seeds: Int
    let interactive = isatty(STDERR_FILENO) != 0
    var last = 0

    init(widths: [Int], steps: Int, seeds: Int) { self.widths = widths; self.steps = steps; self.seeds = seeds }

    func show(_ p: CoordCheck.Position) {
        let step = p.step
        let seedText = seeds > 1 ? ", seed \(p.seed + 1)/\(seeds)" : ""
        let text = "coordcheck: width \(p.width) (\(p.widthIndex + 1)/\(widths.count))\(seedText), step \(step)/\(steps)"
        if interactive {
            let pad = String(repeating: " ", count: max(0, last - text.count))
            FileHandle.standardError.write(Data(("\r" + text + pad).utf8))
            last = text.count
        } else if step == 1 || step == steps {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    func finish() {
        if interactive && last > 0 { FileHandle.standardError.write(Data("\n".utf8)); last = 0 }
    }
}


import ArgumentParser
import Foundation
import Accuracy
import ScenarioSim

/// `make bench-accuracy`: the simulator against the visible published runs.
struct AccuracyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accuracy",
        abstract: "Benchmark: the simulator against published end-to-end runs (Data/validation), every row's signed error and MAPE per source.")

    @Option(help: "Folder of validation tables (default: Data/validation).")
    var tables: String?

    @Option(help: "Exit with status 1 when the overall MAPE, or the MAPE over the rows no knob was fitted on (percent), is above this.")
    var maxMape: Double?

    @Option(help: "Exit with status 1 when a source's MAPE (percent) is above this.")
    var maxSourceMape: Double?

    @Option(help: "Exit with status 1 when fewer rows are simulated.")
    var minRows: Int?

    @Option(help: "Folder for index.html (measured vs simulated chart and every row), accuracy.svg and accuracy.json.")
    var out: String = "out/accuracy"

    @Flag(help: "Fit dgx-h100's gemm_scale on the calibration rows (median signed error zero) and print it, instead of the bench.")
    var fitGemmScale = false

    @OptionGroup var options: CommonOptions

    func run() throws {
        let dataDir = try options.dataDirectory(near: [])
        let folder = tables ?? (dataDir as NSString).appendingPathComponent("validation")
        let runs = try PublishedRunTable.load(directory: folder)
        if fitGemmScale {
            let fit = try AccuracyBench.fitGemmScale(runs, systems: try options.systems(dataDir: dataDir))
            print(String(format: "dgx-h100 gemm_scale %.3f: median signed error 0 over %d calibration rows (dgxc bf16 Llama 3.1 70B, Megatron stack)", fit.scale, fit.rows))
            return
        }
        // Recorded like every command, the tables' text standing for the scenario (same tables = same row).
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".csv") }.sorted()
        let source = files.compactMap { try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }.joined(separator: "\n")
        let run = CommandRun(.accuracy, name: "validation", path: folder, source: source, options: options)
        let systems = try options.systems(dataDir: dataDir)
        let (report, json) = try run.record({ try AccuracyBench.run(runs, systems: systems) }, metrics: { $0.metrics() })
        print(options.json ? json : report.text)
        // File errors become sentences naming the path in `GrowthBench.main`.
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try report.html.write(toFile: out + "/index.html", atomically: true, encoding: .utf8)
        try report.scatterSVG.write(toFile: out + "/accuracy.svg", atomically: true, encoding: .utf8)
        try json.write(toFile: out + "/accuracy.json", atomically: true, encoding: .utf8)
        if !options.json { print("\nWrote \(out)/index.html, accuracy.svg and accuracy.json." + run.footer) }
        var failures: [String] = []
        if let maxMape {
            for s in [report.overall, report.validationOnly] where s.mape > maxMape {
                failures.append(String(format: "%@ MAPE %.1f%% is above %.1f%%", s.source, s.mape, maxMape))
            }
        }
        if let maxSourceMape {
            for s in report.sources where s.mape > maxSourceMape {
                failures.append(String(format: "%@ MAPE %.1f%% is above %.1f%%", s.source, s.mape, maxSourceMape))
            }
        }
        if let minRows, report.rows.count < minRows {
            failures.append("\(report.rows.count) rows simulated, fewer than \(minRows)")
        }
        try run.finish()
        if !failures.isEmpty {
            FileHandle.standardError.write(Data(("FAIL: " + failures.joined(separator: "; ") + "\n").utf8))
            throw ExitCode(1)
        }
    }
}

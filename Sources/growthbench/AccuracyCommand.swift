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

    @Option(help: "Exit with status 1 when the overall MAPE (percent) is above this.")
    var maxMape: Double?

    @Option(help: "Exit with status 1 when a source's MAPE (percent) is above this.")
    var maxSourceMape: Double?

    @Option(help: "Exit with status 1 when fewer rows are simulated.")
    var minRows: Int?

    @OptionGroup var options: CommonOptions

    func run() throws {
        let dataDir = try options.dataDirectory(near: [])
        let folder = tables ?? (dataDir as NSString).appendingPathComponent("validation")
        let runs = try PublishedRunTable.load(directory: folder)
        let report = try AccuracyBench.run(runs, systems: try options.systems(dataDir: dataDir))
        print(options.json ? try JSON.encode(report) : report.text)
        var failures: [String] = []
        if let maxMape, report.overall.mape > maxMape {
            failures.append(String(format: "overall MAPE %.1f%% is above %.1f%%", report.overall.mape, maxMape))
        }
        if let maxSourceMape {
            for s in report.sources where s.mape > maxSourceMape {
                failures.append(String(format: "%@ MAPE %.1f%% is above %.1f%%", s.source, s.mape, maxSourceMape))
            }
        }
        if let minRows, report.rows.count < minRows {
            failures.append("\(report.rows.count) rows simulated, fewer than \(minRows)")
        }
        if !failures.isEmpty {
            FileHandle.standardError.write(Data(("FAIL: " + failures.joined(separator: "; ") + "\n").utf8))
            throw ExitCode(1)
        }
    }
}

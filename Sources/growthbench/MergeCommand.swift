import ArgumentParser
import Foundation
import MuTransfer
import ResultMerge
import ResultStore

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge results databases (the shard databases of a sweep run as a Slurm job array) into one.",
        discussion: """
        Copies scenarios, finished runs, their metrics and curves; each file in one transaction. Merging the same file \
        twice adds nothing (a run is keyed by kind, stage and config text, so a sweep point is one run); the same run \
        with different results is refused. Unfinished attempts (interrupted or failed) are not copied. With --sweep, \
        every file must hold points of that sweep, and the points still missing are listed.
        """)

    @Argument(help: "Results databases to merge (e.g. out/slurm-<sweep>/shard-*.sqlite).")
    var files: [String]

    @Option(help: "The database to merge into (created when absent).")
    var into: String = ResultStore.defaultPath

    @Option(help: "Sweep YAML file the shards ran: checks each file belongs to it and reports missing points.")
    var sweep: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("expected at least one database to merge") }
    }

    func run() throws {
        var expected: (name: String, fingerprint: String)?
        var runner: SweepRunner?
        if let sweep {
            let (spec, base, source) = try SweepSpecLoader.load(path: sweep)
            expected = (spec.name, SweepRunner.fingerprint(of: source))
            runner = SweepRunner(spec: spec, base: base, source: source, store: try ResultStore(path: into),
                                 outputDirectory: "out/sweep-\(spec.name)", corpora: nil, command: commandLine,
                                 toolVersion: GrowthBench.version)
        }
        let (merged, refused) = try ResultMerger(into: into, expectedSweep: expected).merge(files)
        var missing: [String]?
        if let runner {
            let done = try runner.finished()
            missing = runner.spec.points.map(\.key).filter { done[$0] == nil }
        }
        let report = MergeReport(into: into, merged: merged, refused: refused.map(\.description), missingPoints: missing,
                                 points: runner?.spec.points.count)
        print(json ? try JSON.encode(report) : report.renderText())
        if !refused.isEmpty {
            for e in refused { FileHandle.standardError.write(Data("error: \(e)\n".utf8)) }
            throw ExitCode(1)
        }
    }
}

/// What `merge` did.
struct MergeReport: Codable {
    var into: String
    var merged: [MergeOutcome]
    var refused: [String]
    /// Keys of the sweep's points with no finished run in the target (with --sweep).
    var missingPoints: [String]?
    var points: Int?

    func renderText() -> String {
        var lines: [String] = []
        for m in merged {
            lines.append("\(m.file): \(m.runsAdded) run(s) added (\(m.metricsAdded) metrics, \(m.curvePointsAdded) curve points, \(m.scenariosAdded) scenario(s)), \(m.runsAlreadyPresent) already present, \(m.unfinishedSkipped) unfinished attempt(s) skipped")
        }
        for r in refused { lines.append("refused: \(r)") }
        if let missingPoints, let points {
            lines.append(missingPoints.isEmpty ? "All \(points) points of the sweep are in \(into)."
                         : "\(missingPoints.count) of \(points) points still missing: \(missingPoints.joined(separator: ", ")) (sweep --slurm --resume submits them)")
        }
        lines.append("Merged \(merged.count) of \(merged.count + refused.count) file(s) into \(into).")
        return lines.joined(separator: "\n")
    }
}

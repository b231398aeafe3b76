import ArgumentParser
import ClusterJobs
import Foundation
import MuTransfer
import ResultStore

extension Sweep {
    /// `sweep --slurm`: the sweep's points as a job array (see `ArraySubmission`).
    func submitToSlurm() throws {
        let (spec, base, source) = try SweepSpecLoader.load(path: sweep)
        let submission = ArraySubmission(
            command: "sweep", file: sweep, name: spec.name, fingerprint: SweepRunner.fingerprint(of: source),
            items: spec.points.map(\.key),
            finished: { path in
                let runner = SweepRunner(spec: spec, base: base, source: source, store: try ResultStore(path: path),
                                         outputDirectory: "out", corpora: nil, command: commandLine, toolVersion: GrowthBench.version)
                return Set(try runner.finished().keys)
            },
            taskArguments: corpora.map { ["--corpora", ClusterOptions.absolute($0)] } ?? [],
            cluster: cluster, db: options.db, json: options.json)
        try submission.run()
    }
}

/// `sweep --shard I/N`: what one array task ran (the figure and verdicts come from the merged database).
struct ShardReport: Codable {
    var sweep: String
    var shard: String
    var points: [PointResult]

    func renderText() -> String {
        var lines = ["Sweep \(sweep), shard \(shard): \(points.count) point(s)"]
        for p in points {
            let bpb = p.validationBPB.map { String(format: "%.4f", $0) } ?? (p.diverged ? "diverged" : "—")
            lines.append("  \(p.point.key): validation \(bpb) bits/byte (run \(p.runId))")
        }
        return lines.joined(separator: "\n")
    }
}

import ArgumentParser
import ClusterJobs
import Foundation
import MuTransfer
import ResultStore
import Validation

extension Validate {
    /// `validate --slurm`: the suite's training runs as a job array (see `ArraySubmission`); the report is made
    /// afterwards by `validate` on the merged database, which reuses every run.
    func submitToSlurm() throws {
        let spec = try ValidationSuite.load(path: suite)
        let units = try ValidationUnits.all(spec)
        let submission = ArraySubmission(
            command: "validate", file: suite, name: spec.name,
            fingerprint: SweepRunner.fingerprint(of: units.map(\.config.runLabel).joined(separator: "\n")),
            items: units.map(\.label),
            finished: { path in
                let store = try ResultStore(path: path)
                return Set(try units.filter { try ValidationUnits.isFinished($0, in: store) }.map(\.label))
            },
            taskArguments: corpora.map { ["--corpora", ClusterOptions.absolute($0)] } ?? [],
            cluster: cluster, db: options.db, json: options.json)
        try submission.run()
    }

    /// `validate --shard I/N`: trains (or reuses) only this shard's runs of the suite; no profile or report needed.
    func runShard(_ shard: Shard) throws {
        let spec = try ValidationSuite.load(path: suite)
        let mine = shard.select(try ValidationUnits.all(spec))
        let runs = try ValidationUnits.train(mine, store: try options.store(), corpora: corpora, outputRoot: out ?? "out",
                                             command: commandLine, toolVersion: GrowthBench.version) {
            FileHandle.standardError.write(Data("validate shard \(shard): \($0)\n".utf8))
        }
        let report = ValidateShardReport(suite: spec.name, shard: shard.description, runs: runs)
        print(options.json ? try JSON.encode(report) : report.renderText() + "\n\nRecorded in \(options.db).")
    }
}

/// What one `validate --shard` task trained.
struct ValidateShardReport: Codable {
    var suite: String
    var shard: String
    var runs: [UnitRun]

    func renderText() -> String {
        (["Suite \(suite), shard \(shard): \(runs.count) run(s)"]
         + runs.map { "  \($0.label): run \($0.runId)\($0.reused ? " (reused)" : "")" }).joined(separator: "\n")
    }
}

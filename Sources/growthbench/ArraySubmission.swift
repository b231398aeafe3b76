import ArgumentParser
import ClusterJobs
import Foundation
import ResultStore

/// `--slurm` for a command whose work is a list of independent training runs (a sweep's points, a suite's runs):
/// a Slurm job array, one task per shard of the list, each task running `growthbench COMMAND FILE --shard I/N`
/// into its own database `RESULTS_DIR/shard-I.sqlite` (never several writers on one SQLite file over a shared
/// filesystem). With `--resume`, only shards with unfinished items are submitted.
struct ArraySubmission {
    /// `sweep` or `validate`.
    let command: String
    /// The sweep or suite file as typed, its name, and the fingerprint of what it trains.
    let file: String
    let name: String
    let fingerprint: String
    /// Keys of the work items, in the order shards are cut from.
    let items: [String]
    /// Keys of the items finished in the database at a path.
    let finished: (String) throws -> Set<String>
    /// Further arguments of every task (e.g. `--corpora DIR`).
    let taskArguments: [String]
    let cluster: ClusterOptions
    let db: String
    let json: Bool

    /// The database of array task `index`.
    static func shardDatabase(_ results: String, _ index: String) -> String { "\(results)/shard-\(index).sqlite" }

    func run() throws {
        let absoluteFile = ClusterOptions.absolute(file)
        let results = ClusterOptions.absolute(cluster.resultsDir ?? "out/slurm-\(name)")
        let manifest = try ArrayJobManifest.load(from: results)
        if let m = manifest, m.name != name || m.fingerprint != fingerprint {
            throw ValidationError("--results-dir \(results): holds shards of '\(m.name)' (fingerprint \(m.fingerprint), \(m.file)), not of '\(name)' (fingerprint \(fingerprint)); choose another --results-dir")
        }
        if let m = manifest, !cluster.resume, !cluster.dryRun {
            throw ValidationError("--results-dir \(results): job \(m.submissions.map(\.jobId).joined(separator: ", ")) already wrote there; pass --resume to submit only what is still missing, or choose another --results-dir")
        }
        let shards = cluster.shards ?? manifest?.shards ?? min(4, items.count)
        if let m = manifest, shards != m.shards {
            throw ValidationError("--shards \(shards): the shard databases in \(results) were cut into \(m.shards) shards; resume with --shards \(m.shards) (or leave it out)")
        }
        guard shards <= items.count else {
            throw ValidationError("--shards \(shards): expected at most \(items.count), the number of runs of '\(name)'")
        }
        var tasks = Array(0..<shards)
        if cluster.resume {
            let active: [String]
            do { active = try manifest.map { try SlurmQueue().activeTasks(jobIds: $0.submissions.map(\.jobId)) } ?? [] } catch {
                throw ValidationError("--resume: \(error); refusing to submit while tasks may still write into \(results)")
            }
            if !active.isEmpty {
                throw ValidationError("job tasks \(active.joined(separator: ", ")) are still queued or running (squeue) and write into \(results); wait for them or scancel them before --resume")
            }
            var done = Set<String>()
            for path in (0..<shards).map({ Self.shardDatabase(results, "\($0)") }) + [db] where FileManager.default.fileExists(atPath: path) {
                do { done.formUnion(try finished(path)) } catch {
                    throw ValidationError("\(path): cannot read its finished runs (\(error)); move it aside to run its shard again")
                }
            }
            tasks = Shard.unfinished(items, count: shards) { done.contains($0) }
            if tasks.isEmpty {
                print("Nothing to submit: all \(items.count) runs of '\(name)' are finished in \(results) or \(db).")
                return
            }
        }
        let arguments = [command, absoluteFile, "--shard", "\(SlurmArrayScript.shardPlaceholder)/\(shards)",
                         "--db", Self.shardDatabase(results, SlurmArrayScript.shardPlaceholder), "--out", "\(results)/out"] + taskArguments
        let script: SlurmArrayScript
        do {
            script = try SlurmArrayScript(
                jobName: "gb-\(command)-\(name)", tasks: tasks, arrayParallel: cluster.arrayParallel, partition: cluster.partition,
                time: cluster.time, cpusPerTask: cluster.cpusPerTask, extraArguments: cluster.sbatchArgs,
                workingDirectory: FileManager.default.currentDirectoryPath, logPattern: "\(results)/logs/%x-%A_%a.out",
                executable: ClusterOptions.executablePath, arguments: arguments,
                comment: ["growthbench \(command) \(absoluteFile) as a Slurm job array: task I runs shard I of \(shards) of its \(items.count) runs",
                          "into \(Self.shardDatabase(results, "I")). Written by: \(commandLine)"])
        } catch let e as ClusterJobError { throw ValidationError(e.description) }
        if cluster.dryRun { print(script.render(), terminator: ""); return }

        try FileManager.default.createDirectory(atPath: "\(results)/logs", withIntermediateDirectories: true)
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let scriptPath = "\(results)/\(command)-\(name)-\(stamp).sbatch"
        try script.render().write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let jobId: String
        do { jobId = try SlurmSubmitter().submit(scriptAt: scriptPath) } catch let e as ClusterJobError {
            throw ValidationError("\(e.description)\n(the script is at \(scriptPath); nothing was submitted)")
        }
        var m = manifest ?? ArrayJobManifest(file: absoluteFile, name: name, fingerprint: fingerprint, shards: shards)
        m.submissions.append(.init(jobId: jobId, tasks: tasks, script: scriptPath, submittedAt: Date()))
        try m.save(to: results)
        let merge = "growthbench merge \(results)/shard-*.sqlite --into \(db)" + (command == "sweep" ? " --sweep \(file)" : "")
        let report = command == "sweep" ? "growthbench sweep \(file) --report-only --db \(db)" : "growthbench validate \(file) --db \(db)"
        if json {
            print(try JSON.encode(SubmissionReport(jobId: jobId, tasks: tasks, shards: shards, script: scriptPath, resultsDir: results,
                                                   merge: merge, report: report)))
            return
        }
        print("""
        Submitted job \(jobId): \(command) '\(name)', array tasks \(script.arraySpec) (\(tasks.count) of \(shards) shards, \(items.count) runs).
        Script: \(scriptPath)
        Follow: squeue -j \(jobId)    then    sacct -j \(jobId) --format=JobID,State,Elapsed,ExitCode
        Logs:   \(results)/logs/
        When it is done:
          \(merge)
          \(report)
        If tasks failed or were pre-empted: growthbench \(command) \(file) --slurm --resume --results-dir \(results)
        """)
    }
}

/// `--slurm --json`.
struct SubmissionReport: Codable {
    var jobId: String
    var tasks: [Int]
    var shards: Int
    var script: String
    var resultsDir: String
    var merge: String
    var report: String
}

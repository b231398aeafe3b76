import ArgumentParser
import ClusterJobs
import Foundation
import MuTransfer
import ResultStore
import Training

/// `sweep --slurm`: the sweep as a Slurm job array, one task per shard of its points, each task writing its own
/// database `RESULTS_DIR/shard-I.sqlite` (never several writers on one SQLite file over a shared filesystem).
struct SweepSlurmSubmission {
    let sweepPath: String
    let cluster: ClusterOptions
    let corpora: String?
    let db: String
    let json: Bool

    /// The database of array task `index`.
    static func shardDatabase(_ results: String, _ index: String) -> String { "\(results)/shard-\(index).sqlite" }

    func run() throws {
        let (spec, base, source) = try SweepSpecLoader.load(path: sweepPath)
        let fingerprint = SweepRunner.fingerprint(of: source)
        let sweepFile = ClusterOptions.absolute(sweepPath)
        let results = ClusterOptions.absolute(cluster.resultsDir ?? "out/slurm-\(spec.name)")
        let manifest = try ArrayJobManifest.load(from: results)
        if let m = manifest, m.name != spec.name || m.fingerprint != fingerprint {
            throw ValidationError("--results-dir \(results): holds shards of sweep '\(m.name)' (fingerprint \(m.fingerprint), \(m.file)), not of '\(spec.name)' (fingerprint \(fingerprint)); choose another --results-dir")
        }
        if let m = manifest, !cluster.resume, !cluster.dryRun {
            throw ValidationError("--results-dir \(results): job \(m.submissions.map(\.jobId).joined(separator: ", ")) already wrote there; pass --resume to submit only the points still missing, or choose another --results-dir")
        }
        let shards = cluster.shards ?? manifest?.shards ?? 4
        if let m = manifest, shards != m.shards {
            throw ValidationError("--shards \(shards): the shard databases in \(results) were cut into \(m.shards) shards; resume with --shards \(m.shards) (or leave it out)")
        }
        let points = spec.points
        guard shards <= points.count else {
            throw ValidationError("--shards \(shards): expected at most \(points.count), the number of points of sweep '\(spec.name)'")
        }
        var tasks = Array(0..<shards)
        if cluster.resume {
            if let m = manifest, let active = SlurmQueue().activeTasks(jobIds: m.submissions.map(\.jobId)), !active.isEmpty {
                throw ValidationError("job tasks \(active.joined(separator: ", ")) are still queued or running (squeue) and write into \(results); wait for them or scancel them before --resume")
            }
            let done = try finishedPoints(spec: spec, base: base, source: source, results: results, shards: shards)
            tasks = Shard.unfinished(points, count: shards) { done.contains($0.key) }
            if tasks.isEmpty {
                print("Nothing to submit: all \(points.count) points of sweep '\(spec.name)' are finished in \(results) or \(db).")
                return
            }
        }
        var arguments = ["sweep", sweepFile, "--shard", "\(SlurmArrayScript.shardPlaceholder)/\(shards)",
                         "--db", Self.shardDatabase(results, SlurmArrayScript.shardPlaceholder), "--out", "\(results)/out"]
        if let corpora { arguments += ["--corpora", ClusterOptions.absolute(corpora)] }
        let script: SlurmArrayScript
        do {
            script = try SlurmArrayScript(
                jobName: "gb-sweep-\(spec.name)", tasks: tasks, arrayParallel: cluster.arrayParallel, partition: cluster.partition,
                time: cluster.time, cpusPerTask: cluster.cpusPerTask, extraArguments: cluster.sbatchArgs,
                workingDirectory: FileManager.default.currentDirectoryPath, logPattern: "\(results)/logs/%x-%A_%a.out",
                executable: ClusterOptions.executablePath, arguments: arguments,
                comment: ["growthbench sweep \(sweepFile) as a Slurm job array: task I runs shard I of \(shards) of its \(points.count) points",
                          "into \(Self.shardDatabase(results, "I")). Written by: \(commandLine)"])
        } catch let e as ClusterJobError { throw ValidationError(e.description) }
        if cluster.dryRun { print(script.render(), terminator: ""); return }

        try FileManager.default.createDirectory(atPath: "\(results)/logs", withIntermediateDirectories: true)
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let scriptPath = "\(results)/sweep-\(spec.name)-\(stamp).sbatch"
        try script.render().write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let jobId: String
        do { jobId = try SlurmSubmitter().submit(scriptAt: scriptPath) } catch let e as ClusterJobError {
            throw ValidationError("\(e.description)\n(the script is at \(scriptPath); nothing was submitted)")
        }
        var m = manifest ?? ArrayJobManifest(file: sweepFile, name: spec.name, fingerprint: fingerprint, shards: shards)
        m.submissions.append(.init(jobId: jobId, tasks: tasks, script: scriptPath, submittedAt: Date()))
        try m.save(to: results)
        let merge = "growthbench merge \(results)/shard-*.sqlite --into \(db) --sweep \(sweepPath)"
        if json {
            let report = SubmissionReport(jobId: jobId, tasks: tasks, shards: shards, script: scriptPath, resultsDir: results,
                                          merge: merge, report: "growthbench sweep \(sweepPath) --report-only --db \(db)")
            print(try JSON.encode(report))
            return
        }
        print("""
        Submitted job \(jobId): sweep '\(spec.name)', array tasks \(script.arraySpec) (\(tasks.count) of \(shards) shards, \(points.count) points).
        Script: \(scriptPath)
        Follow: squeue -j \(jobId)    then    sacct -j \(jobId) --format=JobID,State,Elapsed,ExitCode
        Logs:   \(results)/logs/
        When it is done:
          \(merge)
          growthbench sweep \(sweepPath) --report-only --db \(db)
        If tasks failed or were pre-empted: growthbench sweep \(sweepPath) --slurm --resume --results-dir \(results)
        """)
    }

    /// Keys of points finished in any shard database of `results` or in the merged database `db`.
    func finishedPoints(spec: SweepSpec, base: TrainConfig, source: String, results: String, shards: Int) throws -> Set<String> {
        var files = (0..<shards).map { Self.shardDatabase(results, "\($0)") }
        files.append(db)
        var done = Set<String>()
        for file in files where FileManager.default.fileExists(atPath: file) {
            do {
                let runner = SweepRunner(spec: spec, base: base, source: source, store: try ResultStore(path: file), outputDirectory: results,
                                         corpora: nil, command: commandLine, toolVersion: GrowthBench.version)
                done.formUnion(try runner.finished().keys)
            } catch let e as ValidationError { throw e } catch {
                throw ValidationError("\(file): cannot read its finished points (\(error)); move it aside to run its shard again")
            }
        }
        return done
    }
}

/// `sweep --slurm --json`.
struct SubmissionReport: Codable {
    var jobId: String
    var tasks: [Int]
    var shards: Int
    var script: String
    var resultsDir: String
    var merge: String
    var report: String
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

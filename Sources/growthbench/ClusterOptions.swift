import ArgumentParser
import ClusterJobs
import Foundation

/// Options of commands whose independent runs can go to a Slurm cluster as a job array (`sweep`), and of the
/// array tasks themselves (`--shard`).
struct ClusterOptions: ParsableArguments {
    @Flag(help: "Run on a Slurm cluster: write the sbatch script of a job array (one task per shard of points), submit it with `sbatch --parsable`, print the job id.")
    var slurm = false

    @Option(help: "With --slurm: number of shards, i.e. array tasks (default 4, or the number an earlier submission into --results-dir used).")
    var shards: Int?

    @Option(help: "With --slurm: Slurm partition (sbatch --partition).")
    var partition: String?

    @Option(help: "With --slurm: time limit per array task (sbatch --time, e.g. 2:00:00).")
    var time: String?

    @Option(help: "With --slurm: CPUs per array task (sbatch --cpus-per-task).")
    var cpusPerTask: Int?

    @Option(help: "With --slurm: at most K array tasks at once (--array=…%K).")
    var arrayParallel: Int?

    @Option(name: .customLong("sbatch-arg"), parsing: .unconditionalSingleValue,
            help: "With --slurm: one more sbatch option written into the script as typed (repeatable), e.g. --sbatch-arg --mem=4G.")
    var sbatchArgs: [String] = []

    @Flag(help: "With --slurm: print the sbatch script instead of submitting it.")
    var dryRun = false

    @Option(help: "With --slurm: folder for the shard databases, logs and scripts, on a filesystem every node sees (default out/slurm-<name>).")
    var resultsDir: String?

    @Flag(help: "With --slurm: submit only the shards whose points are not finished yet (in the shard databases or --db).")
    var resume = false

    @Option(help: "Run only shard I of N of the points (point index mod N == I), e.g. 0/4; what each array task runs.")
    var shard: String?

    /// The parsed `--shard`, nil without it.
    func parsedShard() throws -> Shard? {
        do { return try shard.map(Shard.parse) } catch let e as ClusterJobError { throw ValidationError(e.description) }
    }

    /// Rejects option combinations that mean nothing.
    func check(reportOnly: Bool) throws {
        let slurmOnly: [(String, Bool)] = [("--shards", shards != nil), ("--partition", partition != nil), ("--time", time != nil),
                                           ("--cpus-per-task", cpusPerTask != nil), ("--array-parallel", arrayParallel != nil),
                                           ("--sbatch-arg", !sbatchArgs.isEmpty), ("--dry-run", dryRun),
                                           ("--results-dir", resultsDir != nil), ("--resume", resume)]
        if !slurm, let (name, _) = slurmOnly.first(where: \.1) { throw ValidationError("\(name) only applies with --slurm") }
        if slurm && shard != nil { throw ValidationError("--shard is what each array task runs; do not combine it with --slurm") }
        if reportOnly && (slurm || shard != nil) { throw ValidationError("--report-only reads the database; do not combine it with --slurm or --shard") }
        if let s = shards, s < 1 { throw ValidationError("--shards: expected at least 1, found \(s)") }
    }

    /// This executable's absolute path (what the array tasks run).
    static var executablePath: String {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        if exe != "/proc/self/exe", FileManager.default.isExecutableFile(atPath: exe) { return exe }
        return absolute(CommandLine.arguments[0])
    }

    /// `path` made absolute against the current folder (array tasks start elsewhere).
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path).standardizedFileURL.path
    }
}

/// The sbatch script of a Slurm job array that runs one command per shard: array task `I` runs the command with
/// every `{shard}` in its arguments replaced by `I` (Slurm's `SLURM_ARRAY_TASK_ID`). Pure text: nothing is written
/// or submitted here.
public struct SlurmArrayScript: Sendable, Equatable {
    /// The placeholder in `arguments` for the array task's shard index.
    public static let shardPlaceholder = "{shard}"

    /// Slurm job name (`--job-name`).
    public var jobName: String
    /// Array task indexes to run (all shards, or only the unfinished ones on `--resume`).
    public var tasks: [Int]
    /// At most this many tasks at once (`%K`), nil for no limit.
    public var arrayParallel: Int?
    public var partition: String?
    /// Time limit in a format sbatch takes (`MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`).
    public var time: String?
    public var cpusPerTask: Int?
    /// Further `#SBATCH` lines, each one sbatch option as typed (e.g. `--mem=4G`, `--account=proj`).
    public var extraArguments: [String]
    /// Folder every task starts in.
    public var workingDirectory: String
    /// Where each task's standard output and error go (`%A` job id, `%a` task index).
    public var logPattern: String
    /// The program (absolute path) and its arguments.
    public var executable: String
    public var arguments: [String]
    /// Comment lines written at the top (what the job is, how it was made).
    public var comment: [String]

    public init(jobName: String, tasks: [Int], arrayParallel: Int? = nil, partition: String? = nil, time: String? = nil,
                cpusPerTask: Int? = nil, extraArguments: [String] = [], workingDirectory: String, logPattern: String,
                executable: String, arguments: [String], comment: [String] = []) throws {
        self.jobName = jobName; self.tasks = tasks; self.arrayParallel = arrayParallel; self.partition = partition
        self.time = time; self.cpusPerTask = cpusPerTask; self.extraArguments = extraArguments
        self.workingDirectory = workingDirectory; self.logPattern = logPattern; self.executable = executable
        self.arguments = arguments; self.comment = comment
        try validate()
    }

    /// Checks every option, naming the command-line option of a bad value.
    func validate() throws {
        if tasks.isEmpty { throw ClusterJobError.invalidOption("--shards", "expected at least one array task") }
        if let bad = tasks.first(where: { $0 < 0 }) { throw ClusterJobError.invalidOption("--shards", "expected task indexes ≥ 0, found \(bad)") }
        if let k = arrayParallel, k < 1 { throw ClusterJobError.invalidOption("--array-parallel", "expected at least 1 task at once, found \(k)") }
        if let c = cpusPerTask, c < 1 { throw ClusterJobError.invalidOption("--cpus-per-task", "expected at least 1 CPU, found \(c)") }
        if let p = partition, p.isEmpty || p.contains(where: { $0.isWhitespace || $0 == "'" || $0 == "\"" }) {
            throw ClusterJobError.invalidOption("--partition", "expected a partition name (no spaces or quotes), found '\(p)'")
        }
        if let t = time, !Self.isSlurmTime(t) {
            throw ClusterJobError.invalidOption("--time", "expected a Slurm time limit (MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS), found '\(t)'")
        }
        for a in extraArguments where !a.hasPrefix("-") || a.contains("\n") {
            throw ClusterJobError.invalidOption("--sbatch-arg", "expected one sbatch option starting with '-' on one line (e.g. --mem=4G), found '\(a)'")
        }
        if !executable.hasPrefix("/") { throw ClusterJobError.invalidOption("executable", "expected an absolute path, found '\(executable)'") }
        if !workingDirectory.hasPrefix("/") {
            throw ClusterJobError.invalidOption("working directory", "expected an absolute path, found '\(workingDirectory)'")
        }
        // The log pattern goes unquoted into #SBATCH lines: a space would cut the option, and a '%' of the
        // results folder would be read as one of Slurm's filename patterns.
        let folder = String(logPattern[..<(logPattern.lastIndex(of: "/") ?? logPattern.startIndex)])
        let unsafe: Set<Character> = ["%", "'", "\""]
        if folder.contains(where: { $0.isWhitespace || unsafe.contains($0) }) {
            throw ClusterJobError.invalidOption("--results-dir", "expected a folder path without spaces, quotes or '%' (it goes into #SBATCH --output), found '\(folder)'")
        }
        if jobName.isEmpty || jobName.contains(where: { $0.isWhitespace }) {
            throw ClusterJobError.invalidOption("job name", "expected a name without spaces, found '\(jobName)'")
        }
    }

    /// `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS` (also `UNLIMITED`/`INFINITE`).
    static func isSlurmTime(_ t: String) -> Bool {
        if ["UNLIMITED", "INFINITE"].contains(t.uppercased()) { return true }
        func numbers(_ s: Substring, _ counts: ClosedRange<Int>) -> Bool {
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            return counts.contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        }
        let dash = t.split(separator: "-", omittingEmptySubsequences: false)
        switch dash.count {
        case 1: return numbers(dash[0], 1...3)
        case 2: return !dash[0].isEmpty && dash[0].allSatisfy { $0.isASCII && $0.isNumber } && numbers(dash[1], 1...3)
        default: return false
        }
    }

    /// `0-3`, `1,3`, `0-2,5` (consecutive indexes folded into ranges), then `%K`.
    public var arraySpec: String {
        var parts: [String] = []
        var i = 0
        let sorted = Array(Set(tasks)).sorted()
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",") + (arrayParallel.map { "%\($0)" } ?? "")
    }

    /// The script text.
    public func render() -> String {
        // Comment lines are single lines whatever the command line held (a newline would end the #SBATCH block).
        var lines = ["#!/bin/bash"] + comment.map { "# " + $0.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ") }
        lines.append("#SBATCH --job-name=\(jobName)")
        lines.append("#SBATCH --array=\(arraySpec)")
        lines.append("#SBATCH --output=\(logPattern)")
        lines.append("#SBATCH --error=\(logPattern)")
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        if let cpusPerTask { lines.append("#SBATCH --cpus-per-task=\(cpusPerTask)") }
        lines += extraArguments.map { "#SBATCH \($0)" }
        lines.append("set -euo pipefail")
        lines.append("cd \(Self.quote(workingDirectory))")
        lines.append("echo \"growthbench array task ${SLURM_ARRAY_TASK_ID} of job ${SLURM_ARRAY_JOB_ID} on $(hostname) at $(date -u +%FT%TZ)\"")
        lines.append("exec " + ([Self.quote(executable)] + arguments.map(Self.quoteWithShard)).joined(separator: " "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// A word for bash, single-quoted (with `'` written as `'\''`).
    public static func quote(_ s: String) -> String {
        if !s.isEmpty && s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._-=:,+@".contains($0)) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A quoted word whose `{shard}` placeholders become `"${SLURM_ARRAY_TASK_ID}"`.
    static func quoteWithShard(_ s: String) -> String {
        s.components(separatedBy: shardPlaceholder).map { $0.isEmpty ? "" : quote($0) }
            .joined(separator: "\"${SLURM_ARRAY_TASK_ID}\"")
    }
}

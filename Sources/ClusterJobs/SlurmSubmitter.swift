import Foundation

/// Hands a batch script to a scheduler and returns the job id. A protocol so tests can stand in for `sbatch`.
public protocol BatchSubmitter {
    /// Submits the script at `path`; returns the scheduler's job id.
    func submit(scriptAt path: String) throws -> String
}

/// Submits with Slurm's `sbatch --parsable SCRIPT`, found on PATH (or at a given path).
public struct SlurmSubmitter: BatchSubmitter {
    /// `sbatch`, or an absolute path to it.
    public var program: String
    /// The PATH searched for `program` (default: this process's PATH).
    public var searchPath: String

    public init(program: String = "sbatch", searchPath: String? = nil) {
        self.program = program
        self.searchPath = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    }

    /// The executable `program` names, or nil when it is not on the search path.
    public func resolve() -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        for dir in searchPath.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public func submit(scriptAt path: String) throws -> String {
        guard let executable = resolve() else { throw ClusterJobError.submitterNotFound(program) }
        // Standard error goes to a file so a chatty sbatch cannot block on a full pipe while stdout is read.
        let errPath = NSTemporaryDirectory() + "growthbench-sbatch-\(UUID().uuidString).err"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = ["--parsable", path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let command = "\(executable) --parsable \(path)"
        let stdout = String(decoding: o, as: UTF8.self)
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        guard p.terminationStatus == 0 else { throw ClusterJobError.submissionFailed(command, p.terminationStatus, stderr) }
        guard let id = Self.jobId(parsable: stdout) else { throw ClusterJobError.noJobId(command, stdout) }
        return id
    }

    /// The job id in `sbatch --parsable` output: `1234` or `1234;cluster` on the last non-empty line.
    public static func jobId(parsable output: String) -> String? {
        guard let line = output.split(whereSeparator: \.isNewline).last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return nil }
        let id = line.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return !id.isEmpty && id.allSatisfy({ $0.isASCII && $0.isNumber }) ? id : nil
    }
}

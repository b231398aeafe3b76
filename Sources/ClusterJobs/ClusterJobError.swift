/// What went wrong preparing or submitting a cluster job, in words that name the option, file or program.
public enum ClusterJobError: Error, CustomStringConvertible, Equatable {
    /// An option's value is unusable: (option, what was expected and found).
    case invalidOption(String, String)
    /// The scheduler's submit program is not installed or not on PATH.
    case submitterNotFound(String)
    /// The submit program ran and failed: (command line, exit status, its error output).
    case submissionFailed(String, Int32, String)
    /// The submit program succeeded but printed no job id: (command line, its output).
    case noJobId(String, String)

    public var description: String {
        switch self {
        case let .invalidOption(option, why): return "\(option): \(why)"
        case let .submitterNotFound(program):
            return "\(program) not found on PATH: --slurm submits with Slurm's \(program), run it on a Slurm login node (or install slurm-client), or use --dry-run to only print the script"
        case let .submissionFailed(command, status, stderr):
            let text = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "`\(command)` failed with exit status \(status): \(text.isEmpty ? "(no error output)" : text)"
        case let .noJobId(command, output):
            return "`\(command)` printed no job id (expected a number such as 1234 or 1234;cluster), found '\(output.trimmingCharacters(in: .whitespacesAndNewlines))'"
        }
    }
}

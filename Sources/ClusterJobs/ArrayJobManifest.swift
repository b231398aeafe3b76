import Foundation

/// What was submitted into one results folder (`RESULTS_DIR/slurm-job.json`): which sweep, cut into how many
/// shards, and every submission's job id and tasks. `--resume` reads it so the shard count (and with it which
/// points each shard database holds) stays the same, and refuses a folder that belongs to another sweep.
public struct ArrayJobManifest: Codable, Equatable, Sendable {
    public struct Submission: Codable, Equatable, Sendable {
        public var jobId: String
        public var tasks: [Int]
        public var script: String
        public var submittedAt: Date
        public init(jobId: String, tasks: [Int], script: String, submittedAt: Date) {
            self.jobId = jobId; self.tasks = tasks; self.script = script; self.submittedAt = submittedAt
        }
    }

    public static let fileName = "slurm-job.json"

    /// Absolute path of the sweep (or suite) file.
    public var file: String
    /// Its name and the fingerprint of what it trains: the identity of the results.
    public var name: String
    public var fingerprint: String
    public var shards: Int
    public var submissions: [Submission]

    public init(file: String, name: String, fingerprint: String, shards: Int, submissions: [Submission] = []) {
        self.file = file; self.name = name; self.fingerprint = fingerprint; self.shards = shards; self.submissions = submissions
    }

    public static func path(in directory: String) -> String { (directory as NSString).appendingPathComponent(fileName) }

    /// The manifest in `directory`, nil when there is none; a clear error when it cannot be read.
    public static func load(from directory: String) throws -> ArrayJobManifest? {
        let path = path(in: directory)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        do {
            return try d.decode(ArrayJobManifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ClusterJobError.invalidOption("--results-dir", "\(path): expected the JSON growthbench writes when it submits an array job, could not read it (\(error))")
        }
    }

    public func save(to directory: String) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        try e.encode(self).write(to: URL(fileURLWithPath: Self.path(in: directory)), options: .atomic)
    }
}

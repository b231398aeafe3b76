import Foundation

/// Asks Slurm's `squeue` which tasks of some jobs are still pending or running, so `--resume` does not submit a
/// second writer for a shard database whose task is still queued.
public struct SlurmQueue {
    public var program: String
    public init(program: String = "squeue") { self.program = program }

    /// Array tasks (as squeue prints them, e.g. `12_3`) of `jobIds` still in the queue. Throws when squeue is not
    /// on PATH or fails for another reason than jobs Slurm has already purged ("Invalid job id"): a queue that
    /// cannot be read is not an empty one (a resume would start a second writer on a shard still being written).
    public func activeTasks(jobIds: [String]) throws -> [String] {
        guard !jobIds.isEmpty else { return [] }
        guard let exe = SlurmSubmitter(program: program).resolve() else {
            throw ClusterQueueError(description: "\(program): not on PATH, so the jobs still queued cannot be checked")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["-h", "-r", "-o", "%i", "-j", jobIds.joined(separator: ",")]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch {
            throw ClusterQueueError(description: "\(exe): cannot run it (\(error))")
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            // Jobs finished long ago are purged: squeue then says "Invalid job id" and holds nothing of them.
            if message.contains("Invalid job id") { return [] }
            throw ClusterQueueError(description: "squeue -j \(jobIds.joined(separator: ",")) failed (exit \(p.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
    }
}

/// The job queue could not be read.
public struct ClusterQueueError: Error, CustomStringConvertible {
    public var description: String
}

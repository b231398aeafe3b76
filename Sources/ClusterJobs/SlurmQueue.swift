import Foundation

/// Asks Slurm's `squeue` which tasks of some jobs are still pending or running, so `--resume` does not submit a
/// second writer for a shard database whose task is still queued.
public struct SlurmQueue {
    public var program: String
    public init(program: String = "squeue") { self.program = program }

    /// Array tasks (as squeue prints them, e.g. `12_3`) of `jobIds` still in the queue; nil when squeue is not
    /// on PATH or fails (nothing known).
    public func activeTasks(jobIds: [String]) -> [String]? {
        guard !jobIds.isEmpty else { return [] }
        guard let exe = SlurmSubmitter(program: program).resolve() else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["-h", "-r", "-o", "%i", "-j", jobIds.joined(separator: ",")]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
    }
}

import Foundation
import Fuzzing

/// Runs one command of the release binary with a time limit; output goes through files so a chatty process
/// cannot block on a full pipe.
struct ProcessRunner {
    let binary: String
    let timeout: TimeInterval

    func run(_ args: [String], in directory: String, environment: [String: String] = [:]) -> CommandOutcome {
        let outPath = directory + "/stdout.txt", errPath = directory + "/stderr.txt"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        p.environment = env
        guard let out = FileHandle(forWritingAtPath: outPath), let err = FileHandle(forWritingAtPath: errPath) else {
            return CommandOutcome(status: -1, signalled: false, timedOut: false, stdout: "", stderr: "cannot open output files in \(directory)")
        }
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch {
            return CommandOutcome(status: -1, signalled: false, timedOut: false, stdout: "", stderr: "cannot start \(binary): \(error)")
        }
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while p.isRunning {
            if Date() > deadline { timedOut = true; kill(p.processIdentifier, SIGKILL) }
            usleep(2_000)
        }
        p.waitUntilExit()
        try? out.close(); try? err.close()
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        return CommandOutcome(status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal && !timedOut,
                              timedOut: timedOut, stdout: stdout, stderr: stderr)
    }
}

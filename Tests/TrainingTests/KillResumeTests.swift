import Testing
import Foundation
import ResultStore
@testable import Training

/// The built `growthbench` executable next to the test bundle (`make test` builds it before the tests).
func growthbenchBinary() throws -> String {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("growthbench").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    throw CheckpointError("growthbench executable not found near \(CommandLine.arguments[0]); build it first (`swift build`, which `make test` runs)")
}

struct ProcessResult { var status: Int32; var signalled: Bool; var stdout: String; var stderr: String }

func runGrowthbench(_ args: [String]) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try growthbenchBinary())
    p.arguments = args
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal,
                         stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

@Suite(.serialized) struct KillResumeTests {
    func curve(_ json: String) throws -> [Double] {
        try JSONDecoder().decode(TrainSummary.self, from: Data(json.utf8)).curve.map(\.loss)
    }

    /// A run killed with SIGKILL between checkpoints and resumed reports exactly the loss curve of an
    /// uninterrupted run, and the database holds the resumed run with the full curve.
    @Test func sigkillThenResumeGivesTheUninterruptedCurve() throws {
        let corpora = try makeCorpora()
        let dir = temporaryDirectory("kill")
        let config = dir + "/tiny.yaml"
        try tinyConfigText(corpora: corpora, steps: 14, checkpointEvery: 5).write(toFile: config, atomically: true, encoding: .utf8)
        let db = dir + "/runs.sqlite"

        let full = try runGrowthbench(["train", config, "--out", dir + "/full", "--db", db, "--json"])
        #expect(full.status == 0, "\(full.stderr)")
        let reference = try curve(full.stdout)
        #expect(reference.count == 14)

        let killed = try runGrowthbench(["train", config, "--out", dir + "/k", "--db", db, "--json", "--debug-sigkill-after-step", "12"])
        #expect(killed.signalled && killed.status == SIGKILL, "expected death by SIGKILL, got status \(killed.status)")
        #expect(killed.stdout.isEmpty)

        let resumed = try runGrowthbench(["train", config, "--out", dir + "/k", "--db", db, "--json", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resumed from"), "\(resumed.stderr)")
        let summary = try JSONDecoder().decode(TrainSummary.self, from: Data(resumed.stdout.utf8))
        #expect(summary.resumedFromStep == 10)
        #expect(summary.curve.map(\.loss) == reference, "resumed curve differs from the uninterrupted one")

        let store = try ResultStore(path: db)
        let runs = try store.runs(kind: .train)
        #expect(runs.count == 3)
        #expect(runs[1].status == .interrupted && runs[1].resultJSON?.contains("resumed_as_run") == true)
        #expect(runs[2].status == .completed)
        let stored = try store.curve(runId: runs[2].id!, series: "train_loss").map(\.value)
        #expect(stored == reference)
    }

    @Test func truncatedOrCorruptCheckpointIsRefusedByTheCLI() throws {
        let corpora = try makeCorpora()
        let dir = temporaryDirectory("corruptcli")
        let config = dir + "/tiny.yaml"
        try tinyConfigText(corpora: corpora, steps: 4, checkpointEvery: 2).write(toFile: config, atomically: true, encoding: .utf8)
        let db = dir + "/runs.sqlite"
        #expect(try runGrowthbench(["train", config, "--out", dir + "/o", "--db", db]).status == 0)
        let ckpt = dir + "/o/checkpoint.ckpt"
        let data = try Data(contentsOf: URL(fileURLWithPath: ckpt))
        try data.prefix(data.count - 1000).write(to: URL(fileURLWithPath: ckpt))
        let truncated = try runGrowthbench(["train", config, "--out", dir + "/o", "--db", db, "--resume"])
        #expect(truncated.status != 0)
        #expect(truncated.stderr.contains("\(ckpt): checkpoint is corrupted or truncated"), "\(truncated.stderr)")
        var flipped = data
        flipped[flipped.count / 2] ^= 0x01
        try flipped.write(to: URL(fileURLWithPath: ckpt))
        let corrupt = try runGrowthbench(["train", config, "--out", dir + "/o", "--db", db, "--resume"])
        #expect(corrupt.status != 0)
        #expect(corrupt.stderr.contains("checksum mismatch"), "\(corrupt.stderr)")
    }

    @Test func divergedRunExitsWithStatus3AndIsMarked() throws {
        let corpora = try makeCorpora()
        let dir = temporaryDirectory("nancli")
        let config = dir + "/tiny.yaml"
        try tinyConfigText(corpora: corpora, steps: 10, lr: 1e6).write(toFile: config, atomically: true, encoding: .utf8)
        let db = dir + "/runs.sqlite"
        let r = try runGrowthbench(["train", config, "--out", dir + "/o", "--db", db])
        #expect(r.status == 3)
        #expect(r.stderr.contains("training diverged at step"), "\(r.stderr)")
        #expect(try ResultStore(path: db).runs(kind: .train).first?.status == .diverged)
    }
}

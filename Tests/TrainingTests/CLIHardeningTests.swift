import Testing
import Foundation
import ResultStore
@testable import Training

/// Issue 18 through the command line: a result is printed before a database problem is reported, file errors are
/// sentences, and a killed run's row does not stay `running`.
@Suite struct CLIHardeningTests {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    var scenario: String { root + "/Scenarios/flm-101b-growth.yaml" }

    @Test func aDatabaseFailureLosesNoResult() throws {
        let dir = temporaryDirectory("dbfail")
        FileManager.default.createFile(atPath: dir + "/file", contents: Data("x".utf8))
        let db = dir + "/file/results.sqlite"      // a file is in the way of the database's folder
        let r = try runGrowthbench(["estimate", scenario, "--db", db])
        #expect(r.status != 0 && !r.signalled)
        #expect(r.stdout.contains("wall time (days)"), "the estimate is printed first")
        #expect(r.stdout.contains("Not recorded: \(db): cannot open the results database"), "\(r.stdout.suffix(300))")
        #expect(r.stderr.contains(db), "\(r.stderr)")
    }

    @Test func anEmptyDatabasePathIsRefusedUpFront() throws {
        let r = try runGrowthbench(["estimate", scenario, "--db", ""])
        #expect(r.status != 0 && r.stderr.contains("--db: expected the path of a SQLite file, found an empty string"), "\(r.stderr)")
        #expect(!r.stdout.contains("Recorded as run"))
    }

    @Test func outputPathErrorsAreSentences() throws {
        let dir = temporaryDirectory("outpath")
        FileManager.default.createFile(atPath: dir + "/file", contents: Data("x".utf8))
        let r = try runGrowthbench(["report", scenario, "-o", dir + "/file/report", "--db", dir + "/r.sqlite"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(dir)/file/report: cannot write (\(dir)/file is a file, not a folder)"), "\(r.stderr)")
        #expect(!r.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test func absurdBudgetsAreRefused() throws {
        let r = try runGrowthbench(["budget", scenario, "--usd", "1e30", "--db", temporaryDirectory("budget") + "/r.sqlite"])
        #expect(!r.signalled && r.stderr.contains("--usd: expected a budget between 1 and 1e12 dollars"), "\(r.stderr)")
    }

    @Test func aKilledTrainingRunIsMarkedInterrupted() throws {
        let corpora = try makeCorpora()
        let dir = temporaryDirectory("killrow")
        let config = dir + "/tiny.yaml"
        try tinyConfigText(corpora: corpora, steps: 6, checkpointEvery: 2).write(toFile: config, atomically: true, encoding: .utf8)
        let db = dir + "/runs.sqlite"
        let killed = try runGrowthbench(["train", config, "--out", dir + "/k", "--db", db, "--debug-sigkill-after-step", "3"])
        #expect(killed.signalled)
        #expect(try ResultStore(path: db).runs(kind: .train).map(\.status) == [.interrupted])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/k").filter { $0.contains(".tmp.") }.isEmpty)
    }
}

import ArgumentParser
import Foundation
import Fuzzing

/// Issue 18's fuzz suite: mutated copies of the shipped scenarios, hardware catalog, training configs and a real
/// checkpoint, each run through every command of the release binary as a subprocess. Passes when every command
/// exits 0 printing only finite numbers, or exits non-zero naming the file and the line or field.
@main
struct FuzzSuite: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "growthbench-fuzz",
        abstract: "Run every growthbench command on deterministic mutations of the shipped inputs; fail on a crash, a hang, inf/nan or an unclear error.")

    @Option(help: "The growthbench binary under test.") var binary = ".build/release/growthbench"
    @Option(help: "The project checkout (shipped files are read from here).") var root = "."
    @Option(help: "Scratch folder (emptied first).") var work = "out/fuzz"
    @Option(help: "Mutated scenario files.") var scenarios = 440
    @Option(help: "Mutated hardware catalogs (Data/hardware/*.yaml).") var hardware = 80
    @Option(help: "Mutated training configs.") var configs = 200
    @Option(help: "Forged or damaged checkpoints.") var checkpoints = 100
    @Option(help: "Seed of the mutations.") var seed: UInt64 = 18
    @Option(help: "Parallel workers.") var workers = 2
    @Option(help: "Seconds one command may take.") var timeout: Double = 60
    @Option(help: "Train a mutated config for real only below this many FLOPs (train --check prices it).") var cheapFLOPs: Double = 2e10

    func run() throws {
        let fm = FileManager.default
        let rootPath = URL(fileURLWithPath: root).standardizedFileURL.path
        let workPath = URL(fileURLWithPath: work).standardizedFileURL.path
        let binaryPath = URL(fileURLWithPath: binary).standardizedFileURL.path
        guard fm.isExecutableFile(atPath: binaryPath) else { throw ValidationError("\(binaryPath): no growthbench binary (swift build -c release --product growthbench)") }
        try? fm.removeItem(atPath: workPath)
        try fm.createDirectory(atPath: workPath, withIntermediateDirectories: true)
        let clock = Date()

        let fixtures = try Fixtures.make(root: rootPath, work: workPath, runner: ProcessRunner(binary: binaryPath, timeout: 120))
        let generator = CaseGenerator(root: rootPath, seed: seed)
        let cases = try generator.scenarioCases(count: scenarios) + generator.hardwareCases(count: hardware)
            + generator.configCases(count: configs) + generator.checkpointCases(count: checkpoints, checkpoint: fixtures.checkpoint)
        let total = cases.count

        let executor = CaseExecutor(root: rootPath, work: workPath, fixtures: fixtures, cheapFLOPs: cheapFLOPs,
                                    runner: ProcessRunner(binary: binaryPath, timeout: timeout))
        let results = executor.runAll(cases, workers: workers) { done in
            if done % 50 == 0 || done == total {
                FileHandle.standardError.write(Data(String(format: "fuzz: %d/%d inputs · %.0f s\n", done, total, Date().timeIntervalSince(clock)).utf8))
            }
        }
        let summary = FuzzSummary(results: results, seconds: Date().timeIntervalSince(clock))
        print(summary.renderText())
        try summary.json().write(toFile: workPath + "/summary.json", atomically: true, encoding: .utf8)
        if summary.failures > 0 { throw ExitCode(1) }
    }
}

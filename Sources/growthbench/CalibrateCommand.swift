import ArgumentParser
import Calibration
import Foundation
import ResultStore
import Training

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure this machine as the trainer uses it and write it as a one-device system profile (`--system local`).",
        discussion: """
        Times OpenBLAS sgemm over the trainer's GEMM shapes (2048 rows × widths 64-2048: forward, input- and
        weight-gradient products), the block-causal attention core, the norm / GELU / bias / AdamW kernels and the
        fixed per-step and per-layer costs, then writes Data/hardware/local.yaml (git-ignored; -o elsewhere).
        `estimate`, `compare` and `validate` price mini runs on it through the same cost model as GPU clusters.
        """)

    @Option(name: .shortAndLong, help: "Where to write the profile (default: Data/hardware/local.yaml).")
    var output: String?

    @Option(name: .long, help: "Threads (BLAS and the trainer's workers); default: the mini scenarios' 2.")
    var threads: Int = 2

    @OptionGroup var options: CommonOptions

    func run() throws {
        BLASSpinWait.shortenByReexecutingIfNeeded()
        guard threads >= 1 else { throw ValidationError("--threads: expected a positive thread count, found \(threads)") }
        let path = try output ?? options.localProfilePath()
        var calibrator = Calibrator(threads: threads)
        calibrator.progress = { FileHandle.standardError.write(Data("calibrate: \($0)\n".utf8)) }
        let c = try calibrator.run()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let yaml = LocalProfile.yaml(c)
        // The profile must load as later commands will read it before it replaces the previous one.
        let draft = path + ".new"
        try yaml.write(toFile: draft, atomically: true, encoding: .utf8)
        do {
            _ = try options.localSystems(dataDir: try options.dataDirectory(near: []), path: draft)
        } catch {
            try? FileManager.default.removeItem(atPath: draft)
            throw error
        }
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: draft, toPath: path)
        let run = CommandRun(.calibrate, name: LocalProfile.systemName, path: path, source: yaml, options: options)
        let (_, json) = try run.record({ c }, metrics: { c in [
            MetricRecord(stage: nil, name: "peak_gflops", value: c.peakGFLOPs, unit: "GFLOP/s"),
            MetricRecord(stage: nil, name: "memory_kernels_gb_per_s", value: c.memoryGBPerSecond, unit: "GB/s"),
            MetricRecord(stage: nil, name: "step_overhead_seconds", value: c.stepOverheadSeconds, unit: "s"),
        ] })
        print(options.json ? json : c.renderText(profilePath: path) + run.footer)
        try run.finish()
    }
}

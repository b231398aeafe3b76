import ArgumentParser
import Calibration
import Foundation
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
        try LocalProfile.yaml(c).write(toFile: path, atomically: true, encoding: .utf8)
        // The profile must load as a catalog entry, as every later command will read it.
        _ = try options.systems(dataDir: try options.dataDirectory(near: []), localProfile: path)
        print(options.json ? try JSON.encode(c) : c.renderText(profilePath: path))
    }
}

import ArgumentParser
import Foundation
import ResultStore
import Training
import Validation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict mini runs with the simulator on this machine's profile, measure them with the trainer, show the difference.",
        discussion: """
        Reads a suite (Scenarios/mini/validation.yaml): step-time shapes, a growth/scratch pair and µP proxies with wider
        targets. Each run is trained on this machine or reused from the database (same config fingerprint and threads).
        Prints predicted vs measured step and stage times, the growth saving, and the target loss predicted from the
        proxies; writes charts and an HTML page to OUT (default out/validate-<suite>) and records the result.
        Needs the profile `growthbench calibrate` writes.
        """)

    @Argument(help: "Validation suite YAML file.")
    var suite: String

    @Option(name: .long, help: "Device profile (default: the suite's system, normally 'local').")
    var system: String?

    @Option(name: .long, help: "Folder with the domain .txt files (overrides each config's data.dir).")
    var corpora: String?

    @Option(name: .long, help: "Folder for the charts, HTML page and JSON (default: out/validate-<suite name>).")
    var out: String?

    @OptionGroup var options: CommonOptions

    @OptionGroup(title: "Slurm cluster (with --shard, --out is the folder for checkpoints)") var cluster: ClusterOptions

    func validate() throws { try cluster.check(reportOnly: false) }

    func run() throws {
        BLASSpinWait.shortenByReexecutingIfNeeded()
        if cluster.slurm { return try submitToSlurm() }
        if let shard = try cluster.parsedShard() { return try runShard(shard) }
        let spec = try ValidationSuite.load(path: suite)
        let profile = try options.system(named: system ?? spec.system, near: [suite])
        let run = CommandRun(.validate, name: spec.name, path: suite, source: spec.source, options: options)
        var runner = ValidationRunner(suite: spec, system: profile, store: try options.store(), corpora: corpora, command: commandLine,
                                      toolVersion: GrowthBench.version)
        runner.log = { FileHandle.standardError.write(Data("validate: \($0)\n".utf8)) }
        let dir = out ?? "out/validate-\(spec.name)"
        let (report, json) = try run.record({ () throws -> ValidationReport in
            let report = try runner.run()
            try ValidationPage.write(report, to: dir)
            return report
        }, metrics: { $0.metrics() })
        try json.write(toFile: dir + "/validation.json", atomically: true, encoding: .utf8)
        print(options.json ? json : report.renderText() + "\n\nCharts and page: \(dir)/index.html" + run.footer)
        try run.finish()
    }
}

import ArgumentParser
import Foundation
import ResultStore
import Training

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a small GPT on real multi-domain text on this CPU; report validation bits per byte per domain.",
        discussion: """
        CONFIG is a training config (Scenarios/mini/*.yaml). Build the corpora first with `make corpora`.
        Checkpoints go to OUT/checkpoint.ckpt (default out/<name>); --resume continues from it exactly.
        Progress goes to stderr; the summary (or --json) to stdout. Exit status 3 when the run diverged.
        """)

    @Argument(help: "Training config YAML file.")
    var config: String

    @Option(name: .long, help: "Output folder for the checkpoint (default: out/<config name>).")
    var out: String?

    @Flag(name: .long, help: "Continue from OUT/checkpoint.ckpt.")
    var resume = false

    @Option(name: .long, help: "Folder with the domain .txt files (overrides data.dir).")
    var corpora: String?

    @Flag(name: .long, help: "Check the config without training: corpora, steps, tokens, FLOPs, and the buffers of its largest shape against this machine's memory.")
    var check = false

    @Option(name: .long, help: ArgumentHelp("Test hook: SIGKILL this process right after the given step.", visibility: .hidden))
    var debugSigkillAfterStep: Int?

    @OptionGroup var options: CommonOptions

    func run() throws {
        BLASSpinWait.shortenByReexecutingIfNeeded()
        let (cfg, source) = try TrainConfigLoader.load(path: config)
        if check {
            let report = try TrainingCheck.run(cfg, path: config, corporaDirectory: corpora)
            print(options.json ? try JSON.encode(report) : TrainingCheckText.render(report, path: config))
            return
        }
        var opts = TrainOptions(outputDirectory: out ?? "out/\(cfg.name)")
        opts.resume = resume
        opts.corporaDirectory = corpora
        opts.sigkillAfterStep = debugSigkillAfterStep
        let (summary, runId, json) = try RecordedTraining.train(cfg, path: config, source: source, options: opts,
                                                           store: try options.store(), command: commandLine,
                                                           toolVersion: GrowthBench.version)
        print(options.json ? json : Report.render(summary) + "\n\nRecorded as run \(runId) in \(options.db).")
        if summary.status == .diverged { throw ExitCode(3) }
    }
}

import ArgumentParser
import MegatronExport
import ScenarioSim

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a stage's plan for other tools.",
        subcommands: [ExportMegatron.self])
}

struct ExportMegatron: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "megatron",
        abstract: "Megatron-LM pretrain_gpt.py arguments for one stage (parallel layout, shape, batch, schedule, recompute).")

    @Argument(help: "Scenario YAML file.")
    var scenario: String

    @Option(help: "The stage to export.")
    var stage: String

    @OptionGroup var options: CommonOptions

    func run() throws {
        let (loaded, _) = try options.loadScenario(scenario)
        guard let s = loaded.stage(named: stage) else {
            throw ScenarioSimError.unknownStage(stage, in: loaded)
        }
        let args = MegatronArguments(stage: s)
        if options.json {
            print(try JSON.encode(args))
        } else {
            print("# \(loaded.name), stage \(s.name): Megatron-LM arguments")
            for n in args.notes { print("# note: \(n)") }
            print(args.shell)
        }
    }
}

import ArgumentParser

@main
struct GrowthBench: ParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "growthbench",
        abstract: "What will this growth schedule cost, and is it worth it compared with training from scratch?",
        version: version,
        subcommands: [Inspect.self, AccuracyCommand.self, Simulate.self, Plan.self, Estimate.self, Compare.self, Budget.self, Shapes.self, ReportCommand.self, Export.self, BenchSim.self, Train.self, Sweep.self, TransferCommand.self,
                      CoordCheckCommand.self, Calibrate.self, Predict.self, Validate.self, Merge.self])

    /// ArgumentParser's entry point, with Foundation's file errors turned into sentences (`FileError`).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: FileError.readable(error))
        }
    }
}

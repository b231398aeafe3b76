import ArgumentParser
import RunCost
import ScenarioSim
import ResultStore

struct Budget: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "How many tokens a budget (dollars or days) buys for the schedule, and for the final model from scratch.")

    @Argument(help: "Scenario YAML file.")
    var scenario: String

    @Option(parsing: .unconditional, help: "Budget in US dollars.")
    var usd: Double?

    @Option(parsing: .unconditional, help: "Budget in days of wall time.")
    var days: Double?

    @Option(help: "How tokens change: proportional (every stage) or last (only the last stage).")
    var scale: BudgetResult.Scaling = .proportional

    @Flag(inversion: .prefixedNo, help: "Count failures; default: the scenario's run.failures.")
    var failures: Bool?

    @OptionGroup var options: CommonOptions

    func validate() throws {
        switch (usd, days) {
        case (nil, nil): throw ValidationError("give a budget: --usd N or --days N")
        case (.some, .some): throw ValidationError("give one budget, --usd or --days, not both")
        case let (.some(u), nil) where !(u >= 1 && u <= 1e12):
            throw ValidationError("--usd: expected a budget between 1 and 1e12 dollars, found \(u)")
        case let (nil, .some(d)) where !(d >= 0.001 && d <= 36_500):
            throw ValidationError("--days: expected between 0.001 and 36500 days (a century), found \(d)")
        default: break
        }
    }

    func run() throws {
        let (loaded, refs) = try options.loadScenario(scenario)
        let systems = try options.systems(dataDir: try options.dataDirectory(near: [scenario]))
        let system = try ScenarioSimulator.system(for: loaded, in: systems)
        let run = CommandRun(.budget, scenario: loaded, options: options)
        let (result, json) = try run.record({
            try BudgetSolver.solve(loaded, system: system, rates: try Estimator.rates(loaded, system: system),
                                   limit: usd != nil ? .usd : .days, target: usd ?? days!, scaling: scale,
                                   references: refs, failures: failures)
        }, metrics: { r in [
            MetricRecord(stage: nil, name: "schedule_tokens", value: r.schedule.tokens, unit: "tokens"),
            MetricRecord(stage: nil, name: "scratch_tokens", value: r.scratch.tokens, unit: "tokens"),
        ] })
        print(options.json ? json : result.renderText() + run.footer)
        try run.finish()
    }
}

extension BudgetResult.Scaling: ExpressibleByArgument {}

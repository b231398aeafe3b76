import Foundation
import Fuzzing
import SeededRandom

/// Builds the deterministic list of cases from the shipped files (same seed, same cases).
struct CaseGenerator {
    let root: String
    let seed: UInt64

    /// Scenario files and the commands every mutated copy goes through (`{S}` = the unmutated scratch scenario).
    static let scenarioBases = ["Scenarios/flm-101b-growth.yaml", "Scenarios/flm-101b-scratch.yaml", "Scenarios/tele-flm-52b.yaml"]
    static let hardwareBases = ["Data/hardware/gpus.yaml", "Data/hardware/systems.yaml"]
    static let configBases = ["Scenarios/mini/tiny.yaml", "Scenarios/mini/growth.yaml", "Scenarios/mini/baseline.yaml"]

    static func scenarioCommands(stage: String, everyOther: Bool) -> [[String]] {
        var c: [[String]] = [
            ["inspect", "{F}"], ["estimate", "{F}", "--json"], ["estimate", "{F}"], ["compare", "{F}", "{S}"],
            ["budget", "{F}", "--usd", "100000"], ["budget", "{F}", "--days", "30", "--json"], ["simulate", "{F}"],
            ["shapes", "{F}"], ["export", "megatron", "{F}", "--stage", stage],
        ]
        if everyOther { c += [["report", "{F}", "--vs", "{S}", "-o", "{D}/report"], ["plan", "{F}", "--stage", stage, "--top", "3"]] }
        return c.map { $0 + ["--data", "{R}/Data"] }
    }

    func text(_ path: String) throws -> String { try String(contentsOfFile: root + "/" + path, encoding: .utf8) }

    /// The replacement text when a string field (not a number) was replaced: the tool may echo it as given.
    static func echo(_ mutation: YAMLMutation, sites: [YAMLSite]) -> [String] {
        guard case let .replace(path, value) = mutation,
              let site = sites.first(where: { $0.path == path }), site.scalar != nil,
              !site.isNumeric || site.path.last == .key("name") else { return [] }
        return [value.trimmingCharacters(in: CharacterSet(charactersIn: "'"))]
    }

    func scenarioCases(count: Int) throws -> [FuzzCase] {
        var rng = Xoshiro256(seed: seed, stream: "scenario")
        var cases: [FuzzCase] = []
        let bases = try Self.scenarioBases.map { ($0, try text($0), try YAMLMutator.sites(of: try text($0))) }
        for i in 0..<count {
            let (path, source, sites) = bases[i % bases.count]
            let mutation = YAMLMutator.draw(sites: sites, textLength: source.utf8.count, rng: &rng)
            let stage = sites.first { $0.dotted == "stages[0].name" }?.scalar ?? "16B"
            cases.append(FuzzCase(family: .scenario, index: i, base: path, mutation: mutation.description,
                                  bytes: try YAMLMutator.apply(mutation, to: source), fileName: "scenario.yaml",
                                  echoAllowed: Self.echo(mutation, sites: sites),
                                  commands: Self.scenarioCommands(stage: stage, everyOther: i % 2 == 0)))
        }
        return cases
    }

    /// The hardware catalog mutated in a copy of Data/ that the commands read with `--data`.
    func hardwareCases(count: Int) throws -> [FuzzCase] {
        var rng = Xoshiro256(seed: seed, stream: "hardware")
        var cases: [FuzzCase] = []
        let bases = try Self.hardwareBases.map { ($0, try text($0), try YAMLMutator.sites(of: try text($0))) }
        for i in 0..<count {
            let (path, source, sites) = bases[i % bases.count]
            let mutation = YAMLMutator.draw(sites: sites, textLength: source.utf8.count, rng: &rng)
            let commands = Self.scenarioCommands(stage: "16B", everyOther: i % 2 == 0).map { cmd in
                Array(cmd.map { $0 == "{F}" ? "{G}" : $0 }.dropLast(2)) + ["--data", "{D}/Data"]
            }
            cases.append(FuzzCase(family: .hardware, index: i, base: path, mutation: mutation.description,
                                  bytes: try YAMLMutator.apply(mutation, to: source),
                                  fileName: "Data/hardware/" + (path as NSString).lastPathComponent,
                                  siblingFiles: Self.hardwareBases.map { "Data/hardware/" + ($0 as NSString).lastPathComponent },
                                  echoAllowed: Self.echo(mutation, sites: sites), commands: commands))
        }
        return cases
    }

    /// Training configs: `train --check` always; a real (short) run when the check says it is cheap.
    func configCases(count: Int) throws -> [FuzzCase] {
        var rng = Xoshiro256(seed: seed, stream: "config")
        var cases: [FuzzCase] = []
        let bases = try Self.configBases.map { ($0, try text($0), try YAMLMutator.sites(of: try text($0))) }
        for i in 0..<count {
            // tiny.yaml twice as often: it is the one cheap enough to train for real.
            let (path, source, sites) = bases[[0, 0, 1, 2][i % 4]]
            let mutation = YAMLMutator.draw(sites: sites, textLength: source.utf8.count, rng: &rng)
            cases.append(FuzzCase(family: .trainingConfig, index: i, base: path, mutation: mutation.description,
                                  bytes: try YAMLMutator.apply(mutation, to: source), fileName: "config.yaml",
                                  echoAllowed: Self.echo(mutation, sites: sites),
                                  commands: [["train", "{F}", "--check", "--json", "--corpora", "{C}"]],
                                  cheapTraining: ["train", "{F}", "--corpora", "{C}", "--out", "{D}/out", "--json"],
                                  documentedStatuses: [3]))
        }
        return cases
    }

    /// Forged, truncated and bit-flipped copies of a real checkpoint; `train --resume` must refuse or resume cleanly.
    func checkpointCases(count: Int, checkpoint: [UInt8]) throws -> [FuzzCase] {
        var rng = Xoshiro256(seed: seed, stream: "checkpoint")
        let paths = try CheckpointForgery.headerPaths(of: checkpoint)
        return try (0..<count).map { i in
            let forgery = CheckpointForgery.draw(paths: paths, size: checkpoint.count, rng: &rng)
            return FuzzCase(family: .checkpoint, index: i, base: "a checkpoint of Scenarios/mini/tiny.yaml (fuzz copy)",
                            mutation: forgery.description, bytes: try forgery.apply(to: checkpoint),
                            fileName: "out/checkpoint.ckpt",
                            commands: [["train", "{T}", "--corpora", "{C}", "--out", "{D}/out", "--resume", "--json"]],
                            documentedStatuses: [3])
        }
    }
}

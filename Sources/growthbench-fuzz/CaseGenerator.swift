import Foundation
import Fuzzing
import SeededRandom

/// Builds the deterministic list of cases from the shipped files (same seed, same cases).
struct CaseGenerator {
    let root: String
    let seed: UInt64

    /// Scenario files and the commands every mutated copy goes through (`{S}` = the unmutated scratch scenario).
    static let scenarioBases = ["Scenarios/flm-101b-growth.yaml", "Scenarios/flm-101b-scratch.yaml", "Scenarios/tele-flm-52b.yaml",
                                "Scenarios/llama3-70b-h100-3d.yaml", "Scenarios/llama3-70b-h100-fsdp.yaml"]
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


    /// One drawn mutation of a shipped YAML file: where it came from, what changed, the resulting bytes.
    struct Drawn {
        var index: Int
        var base: String
        var sites: [YAMLSite]
        var mutation: YAMLMutation
        var bytes: [UInt8]
    }

    /// `count` mutations from one seeded stream; case `i` mutates `bases[pick(i)]`.
    func draw(_ bases: [String], stream: String, count: Int, pick: (Int) -> Int) throws -> [Drawn] {
        var rng = Xoshiro256(seed: seed, stream: stream)
        let files = try bases.map { ($0, try text($0)) }
        let sites = try files.map { try YAMLMutator.sites(of: $0.1) }
        return try (0..<count).map { i in
            let k = pick(i)
            let mutation = YAMLMutator.draw(sites: sites[k], textLength: files[k].1.utf8.count, rng: &rng)
            return Drawn(index: i, base: files[k].0, sites: sites[k], mutation: mutation,
                         bytes: try YAMLMutator.apply(mutation, to: files[k].1))
        }
    }

    func scenarioCases(count: Int) throws -> [FuzzCase] {
        try draw(Self.scenarioBases, stream: "scenario", count: count) { $0 % Self.scenarioBases.count }.map { d in
            let stage = d.sites.first { $0.dotted == "stages[0].name" }?.scalar ?? "16B"
            return FuzzCase(family: .scenario, index: d.index, base: d.base, mutation: d.mutation.description, bytes: d.bytes,
                            fileName: "scenario.yaml",
                            commands: Self.scenarioCommands(stage: stage, everyOther: d.index % 2 == 0))
        }
    }

    /// The hardware catalog mutated in a copy of Data/ that the commands read with `--data`.
    func hardwareCases(count: Int) throws -> [FuzzCase] {
        let names = Self.hardwareBases.map { "Data/hardware/" + ($0 as NSString).lastPathComponent }
        return try draw(Self.hardwareBases, stream: "hardware", count: count) { $0 % Self.hardwareBases.count }.map { d in
            let commands = Self.scenarioCommands(stage: "16B", everyOther: d.index % 2 == 0).map { cmd in
                Array(cmd.map { $0 == "{F}" ? "{G}" : $0 }.dropLast(2)) + ["--data", "{D}/Data"]
            }
            return FuzzCase(family: .hardware, index: d.index, base: d.base, mutation: d.mutation.description, bytes: d.bytes,
                            fileName: "Data/hardware/" + (d.base as NSString).lastPathComponent, siblingFiles: names,
                            commands: commands)
        }
    }

    /// Training configs: `train --check` always; a real (short) run when the check says it is cheap.
    func configCases(count: Int) throws -> [FuzzCase] {
        // tiny.yaml twice as often: it is the one cheap enough to train for real.
        try draw(Self.configBases, stream: "config", count: count) { [0, 0, 1, 2][$0 % 4] }.map { d in
            FuzzCase(family: .trainingConfig, index: d.index, base: d.base, mutation: d.mutation.description, bytes: d.bytes,
                     fileName: "config.yaml",
                     commands: [["train", "{F}", "--check", "--json", "--corpora", "{C}"]],
                     cheapTraining: ["train", "{F}", "--corpora", "{C}", "--out", "{D}/out", "--json"],
                     documentedStatuses: [3])
        }
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

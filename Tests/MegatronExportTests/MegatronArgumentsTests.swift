import Testing
import Foundation
import Hardware
import Scenario
@testable import MegatronExport

@Suite struct MegatronArgumentsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    func scenario(_ name: String) throws -> Scenario {
        let gpus = try HardwareCatalog.load(path: Self.root.appendingPathComponent("Data/hardware/gpus.yaml").path)
        return try ScenarioLoader.load(path: Self.root.appendingPathComponent("Scenarios/\(name)").path, catalog: gpus)
    }
    func value(_ a: MegatronArguments, _ flag: String) -> String? { a.arguments.first { $0[0] == flag }.map { $0.count > 1 ? $0[1] : "" } }

    @Test func flm101BStage() throws {
        let s = try scenario("flm-101b-growth.yaml").stage(named: "101B")!
        let a = MegatronArguments(stage: s)
        #expect(value(a, "--tensor-model-parallel-size") == "4")
        #expect(value(a, "--pipeline-model-parallel-size") == "4")
        #expect(value(a, "--num-layers") == "80")
        #expect(value(a, "--hidden-size") == "10240")
        #expect(value(a, "--ffn-hidden-size") == "40960")
        #expect(value(a, "--global-batch-size") == "2160")
        #expect(value(a, "--train-samples") == "12958985")   // ⌈26.54e9 / 2048⌉
        #expect(value(a, "--lr") == "0.0002")
        #expect(value(a, "--recompute-activations") == "")
        #expect(value(a, "--sequence-parallel") == "" && value(a, "--use-distributed-optimizer") == "")
        // Megatron pads 100256 to a multiple of 512 × tp 4 = 2048 → 100352.
        #expect(value(a, "--make-vocab-size-divisible-by") == "512")
        #expect(a.notes.contains { $0.contains("xPos") })
    }

    @Test func teleFLMUsesLlamaStyleFlags() throws {
        let a = MegatronArguments(stage: try scenario("tele-flm-52b.yaml").stages[0])
        for f in ["--swiglu", "--untie-embeddings-and-output-weights", "--disable-bias-linear"] { #expect(value(a, f) == "") }
        #expect(value(a, "--normalization") == "RMSNorm")
        #expect(value(a, "--position-embedding-type") == "rope")
        #expect(value(a, "--global-batch-size") == "1344")
    }
}

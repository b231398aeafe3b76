import Testing
import ConfigFile
import ModelKit
@testable import Scenario

@Suite struct ScenarioLoaderTests {
    private func load(_ text: String) throws -> Scenario {
        try ScenarioLoader.parse(text: text, path: "test.yaml", catalog: Fixtures.catalog)
    }

    private func problems(_ text: String) -> [ConfigError] { Fixtures.problems(text, path: "test.yaml") }
    private func broken(_ old: String, _ new: String) -> String { Fixtures.broken(old, new) }

    @Test func validScenarioLoadsWithInheritance() throws {
        let s = try load(Fixtures.valid)
        #expect(s.cluster.gpus == 8)
        #expect(s.stages.count == 2)
        #expect(s.stages[0].tokens == 1e9)
        #expect(s.stages[1].tokens == 2.5e9)
        // The second stage inherits everything it does not give from the first.
        #expect(s.stages[1].model.layers == 4)
        #expect(s.stages[1].model.hidden == 2048)
        #expect(s.stages[1].model.headDim == 128)
        #expect(s.stages[1].model.paddedVocab == 50176)
        #expect(s.stages[1].layout.microBatch == 2)
        #expect(s.stages[1].microBatches == 16)
    }

    @Test func invalidYAMLNamesTheLine() {
        let p = problems(broken("  nodes: 1", "  nodes: [1"))
        #expect(p.count == 1)
        #expect(p.first?.message.contains("invalid YAML") == true)
        #expect(p.first?.line != nil)
    }

    @Test func unknownKeyIsRejectedWithItsLine() {
        let p = problems(broken("  gpus_per_node: 8", "  gpus_per_node: 8\n  gpus_per_nod: 8"))
        #expect(p.contains { $0.field == "cluster.gpus_per_nod" && $0.message.contains("unknown key") && $0.line == 7 })
    }

    @Test func wrongTypeNamesFieldAndExpectation() {
        let p = problems(broken("      tp: 2\n      pp: 2\n      dp: 2", "      tp: two\n      pp: 2\n      dp: 2"))
        #expect(p.contains { $0.field == "stages[0].parallel.tp" && $0.message.contains("expected an integer") && $0.message.contains("'two'") })
    }

    @Test func missingFieldInFirstStage() {
        let p = problems(broken("      hidden: 1024\n", ""))
        #expect(p.contains { $0.field == "stages[0].model.hidden" && $0.message.contains("missing") })
    }

    @Test func tensorParallelMustDivideHeads() {
        let p = problems(broken("heads: 16, ffn_hidden: 8192}", "heads: 15, ffn_hidden: 8192, head_dim: 128}"))
        #expect(p.contains { $0.field == "stages[1].parallel.tp" && $0.message.contains("heads (15)") })
    }

    @Test func layoutMustUseEveryGPU() {
        let p = problems(broken("{tp: 2, pp: 2, dp: 2, micro_batch: 2}", "{tp: 2, pp: 2, dp: 4, micro_batch: 2}"))
        #expect(p.contains { $0.field == "stages[1].parallel" && $0.message.contains("8 GPUs") && $0.message.contains("= 16") })
    }

    @Test func layersMustDivideByPipelineStages() {
        let p = problems(broken("      layers: 4", "      layers: 5"))
        #expect(p.contains { $0.field == "stages[0].parallel.pp" && $0.message.contains("layers (5)") })
    }

    @Test func negativeTokensAreRejected() {
        let p = problems(broken("tokens: 1B", "tokens: -1B"))
        #expect(p.contains { $0.field == "stages[0].tokens" && $0.message.contains("between 1 and 1e+16") })
    }

    @Test func tokensMustBeANumber() {
        let p = problems(broken("tokens: 1B", "tokens: lots"))
        #expect(p.contains { $0.field == "stages[0].tokens" && $0.message.contains("'lots'") })
    }

    @Test func unknownGPUListsTheCatalog() {
        let p = problems(broken("gpu: A100-SXM4-80GB", "gpu: V100"))
        #expect(p.contains { $0.field == "cluster.gpu" && $0.message.contains("A800-SXM4-80GB") && $0.message.contains("'V100'") })
    }

    @Test func priceMustBePositive() {
        let p = problems(broken("price_per_gpu_hour_usd: 2.0", "price_per_gpu_hour_usd: 0"))
        #expect(p.contains { $0.field == "cluster.price_per_gpu_hour_usd" })
    }

    @Test func memoryOverTheGPUIsAnError() {
        // 4 layers of width 2048 fit; 200 layers of width 8192 on tp 2 × pp 2 do not.
        let p = problems(broken("{hidden: 2048, heads: 16, ffn_hidden: 8192}", "{layers: 200, hidden: 8192, heads: 64, ffn_hidden: 32768}"))
        #expect(p.contains { $0.field == "stages[1].parallel" && $0.message.contains("fits in A100-SXM4-80GB memory") && $0.message.contains("GiB") })
    }

    @Test func duplicateStageNames() {
        let p = problems(broken("  - name: big", "  - name: small"))
        #expect(p.contains { $0.field == "stages[1].name" && $0.message.contains("unique") })
    }

    @Test func batchMustBeGivenOnce() {
        let both = problems(broken("tokens: 1B\n    batch_sequences: 64", "tokens: 1B\n    batch_sequences: 64\n    batch_tokens: 65536"))
        #expect(both.contains { $0.field == "stages[0].batch_tokens" })
        let neither = problems(broken("tokens: 1B\n    batch_sequences: 64", "tokens: 1B"))
        #expect(neither.contains { $0.field == "stages[0].batch_sequences" && $0.message.contains("missing") })
    }

    @Test func everyProblemIsReportedInOnePass() {
        var text = broken("tokens: 1B", "tokens: -1B")
        text = text.replacingOccurrences(of: "gpu: A100-SXM4-80GB", with: "gpu: V100")
        #expect(problems(text).count >= 2)
    }

    @Test func errorDescriptionNamesFileLineAndField() {
        let e = ConfigError(file: "s.yaml", line: 12, field: "stages[0].tokens", message: "expected a positive number")
        #expect(e.description == "s.yaml:12: stages[0].tokens: expected a positive number")
    }

    /// Uneven pipelines: Megatron's first/last-stage counts resolve to a per-rank list; bad ones name the field.
    @Test func unevenPipelineStagesLoad() throws {
        let s = try ScenarioLoader.parse(text: broken("      pp: 2\n", "      pp: 2\n      first_stage_layers: 1\n"), path: "t.yaml", catalog: Fixtures.catalog)
        #expect(s.stages[0].layout.stageLayers == [1, 3])
        let p = problems(broken("      pp: 2\n", "      pp: 2\n      stage_layers: [1, 2]\n"))
        #expect(p.contains { $0.field == "stages[0].parallel.stage_layers" && $0.message.contains("add up to the model's 4 layers") }, "\(p)")
    }

    /// Issue 16's fields: cp, zero_stage, shard_group, attention, recompute_layers load, and each bad value is an
    /// error with the file, the line and the field.
    @Test func newParallelFieldsLoadAndRejectBadValues() throws {
        let good = broken("      pp: 2\n      dp: 2\n", "      pp: 1\n      dp: 2\n      cp: 2\n      zero_stage: 3\n      shard_group: 2\n      attention: flash\n      recompute: full\n      recompute_layers: 1\n")
        let s = try ScenarioLoader.parse(text: good, path: "t.yaml", catalog: Fixtures.catalog)
        let l = s.stages[0].layout
        #expect(l.contextParallel == 2 && l.zeroStage == 3 && l.shardGroup == 2 && l.attention == .flash && l.recomputeLayers == 1)
        #expect(l.gpus == 8)
        let cases: [(String, String, String)] = [
            ("      cp: 2\n", "      cp: 0\n", "stages[0].parallel.cp"),
            ("      zero_stage: 3\n", "      zero_stage: 4\n", "stages[0].parallel.zero_stage"),
            ("      shard_group: 2\n", "      shard_group: 3\n", "stages[0].parallel.shard_group"),
            ("      attention: flash\n", "      attention: fast\n", "stages[0].parallel.attention"),
            ("      recompute: full\n", "      recompute: none\n", "stages[0].parallel.recompute_layers"),
            ("      recompute_layers: 1\n", "      recompute_layers: -1\n", "stages[0].parallel.recompute_layers"),
            // The fixture's A100 has no FP8 tensor cores.
            ("      attention: flash\n", "      attention: flash\n      precision: fp8\n", "stages[0].parallel.precision"),
            ("      attention: flash\n", "      attention: flash\n      precision: int4\n", "stages[0].parallel.precision"),
        ]
        for (old, new, field) in cases {
            let p = Fixtures.problems(good.replacingOccurrences(of: old, with: new), path: "t.yaml")
            #expect(p.contains { $0.field == field && $0.line != nil && $0.message.hasPrefix("expected") }, "\(field): \(p)")
        }
        // Combinations the model does not describe are problems by field.
        let standardCP = Fixtures.problems(good.replacingOccurrences(of: "      attention: flash\n", with: ""), path: "t.yaml")
        #expect(standardCP.contains { $0.field == "stages[0].parallel.cp" && $0.message.contains("flash or cudnn") }, "\(standardCP)")
        let fsdpPipelined = Fixtures.problems(good.replacingOccurrences(of: "      pp: 1\n      dp: 2\n", with: "      pp: 2\n      dp: 1\n"), path: "t.yaml")
        #expect(fsdpPipelined.contains { $0.field == "stages[0].parallel.zero_stage" && $0.message.contains("pp 1") }, "\(fsdpPipelined)")
        let tooMany = Fixtures.problems(good.replacingOccurrences(of: "recompute_layers: 1", with: "recompute_layers: 5"), path: "t.yaml")
        #expect(tooMany.contains { $0.field == "stages[0].parallel.recompute_layers" && $0.message.contains("at most the 4 layers") }, "\(tooMany)")
        // cp must split each sequence into 2·cp equal chunks, and GPUs count cp.
        let odd = Fixtures.problems(good.replacingOccurrences(of: "      cp: 2\n", with: "      cp: 3\n"), path: "t.yaml")
        #expect(odd.contains { $0.field == "stages[0].parallel.cp" && $0.message.contains("divide seq_length") }, "\(odd)")
        #expect(odd.contains { $0.field == "stages[0].parallel" && $0.message.contains("× cp") }, "\(odd)")
    }

}

/// `cluster.network`: the cluster's own NICs replace the system profile's.
@Suite struct ClusterNetworkTests {
    @Test func statedNetworkOverridesTheProfile() throws {
        let text = Fixtures.valid.replacingOccurrences(of: "  price_per_gpu_hour_usd: 2.0",
                                                       with: "  price_per_gpu_hour_usd: 2.0\n  network: {nics_per_node: 4, gbit_per_s: 100}")
        let s = try ScenarioLoader.parse(text: text, path: "n.yaml", catalog: Fixtures.catalog)
        #expect(s.cluster.network == NodeNetwork(nicsPerNode: 4, gbitPerSecond: 100))
        let bad = Fixtures.problems(text.replacingOccurrences(of: "gbit_per_s: 100", with: "gbit_per_s: 0"))
        #expect(bad.map(\.field) == ["cluster.network.gbit_per_s"], "\(bad)")
    }
}

import Testing
import Foundation
import Hardware
import ModelKit
import TestSupport
@testable import Accuracy

@Suite struct AccuracyTests {
    static let root = Shipped.root
    static let systems = Shipped.systems
    static let header = "id,source,url,commit_or_version,table,model,params_b,layers,hidden,heads,kv_heads,ffn_hidden,vocab,seq_length,gpu,gpus,gpus_per_node,tp,pp,cp,dp,fsdp,zero_stage,hsdp_replicas,micro_batch,global_batch,activation_checkpointing,attention_kernel,precision,compile,metric,value,unit,notes"

    func row(_ overrides: [String: String]) -> String {
        var v: [String: String] = ["id": "x-1", "source": "dgxc", "model": "Llama-3.1-8B", "layers": "32", "hidden": "4096",
                                   "heads": "32", "kv_heads": "8", "ffn_hidden": "14336", "vocab": "128256", "seq_length": "8192",
                                   "gpu": "H100-SXM-80GB", "gpus": "16", "gpus_per_node": "8", "tp": "1", "pp": "1", "cp": "2",
                                   "dp": "8", "micro_batch": "1", "global_batch": "128", "activation_checkpointing": "none",
                                   "precision": "bf16", "metric": "step_time_s", "value": "12.3", "unit": "s/step", "notes": "VP n/a"]
        for (k, x) in overrides { v[k] = x }
        return Self.header.split(separator: ",").map { v[String($0)].map { $0.contains(",") ? "\"\($0)\"" : $0 } ?? "" }.joined(separator: ",")
    }

    @Test func badRowsNameFileLineAndField() {
        #expect(throws: PublishedRunTableError.malformed(file: "v.csv", line: 2, field: "value", expected: "a positive number, found 'fast'")) {
            try PublishedRunTable.parse(Self.header + "\n" + row(["value": "fast"]), file: "v.csv")
        }
        #expect(throws: PublishedRunTableError.malformed(file: "v.csv", line: 2, field: "tp", expected: "a positive integer or empty, found '0'")) {
            try PublishedRunTable.parse(Self.header + "\n" + row(["tp": "0"]), file: "v.csv")
        }
        #expect(throws: PublishedRunTableError.malformed(file: "v.csv", line: 1, field: "header", expected: "a column 'id'")) {
            try PublishedRunTable.parse("name,value\nx,1", file: "v.csv")
        }
    }

    /// The fixed translation rules: Megatron stacks pad the vocabulary, use the distributed optimizer and cuDNN attention,
    /// take "VP n" from the notes; torchtitan's FSDP folds cp into its shard group; FP8 rows run FP8 linear layers;
    /// GPUs without a known peak are excluded.
    @Test func translationRules() throws {
        let runs = try PublishedRunTable.parse(Self.header + "\n" + [
            row(["notes": "FSDP 0; VP 2", "pp": "2", "dp": "4", "layers": "32"]),
            row(["id": "t-1", "source": "torchtitan", "fsdp": "4", "cp": "2", "dp": "4", "gpus": "8", "global_batch": "4"]),
            row(["id": "f-1", "precision": "fp8"]),
            row(["id": "g-1", "gpu": "H100-80GB"]),
        ].joined(separator: "\n"), file: "v.csv")
        guard case let .success(megatron) = RunTranslation.translate(runs[0], systems: Self.systems) else { Issue.record("excluded"); return }
        #expect(megatron.model.paddedVocab == 128256 && megatron.layout.distributedOptimizer && megatron.layout.attention == .cudnn)
        #expect(megatron.layout.virtualStages == 2 && megatron.layout.schedule == .interleaved)
        guard case let .success(titan) = RunTranslation.translate(runs[1], systems: Self.systems) else { Issue.record("excluded"); return }
        #expect(titan.layout.zeroStage == 3 && titan.layout.shardRanks == 8 && titan.layout.attention == .flash)
        guard case let .success(fp8) = RunTranslation.translate(runs[2], systems: Self.systems) else { Issue.record("excluded"); return }
        #expect(fp8.layout.precision == .fp8)
        guard case let .failure(gpu) = RunTranslation.translate(runs[3], systems: Self.systems) else { Issue.record("simulated"); return }
        #expect(gpu.reason.contains("SXM or PCIe"))
        #expect(RunTranslation.virtualStages("GA 16; VP 12; FSDP 0") == 12)
        #expect(RunTranslation.virtualStages("VP n/a") == nil)
    }

    /// Issue 16's acceptance on the shipped visible set: ≥ 40 rows with FSDP among them, MAPE ≤ 8 % overall and
    /// ≤ 12 % for every source, and ≤ 8 % over the rows no knob was fitted on. Tolerances are the issue's; the knobs are
    /// fitted on component data (and one H100 gemm_scale on the 12 dgxc bf16 Llama 3.1 70B rows), never per row.
    @Test func visibleSetAccuracy() throws {
        let runs = try PublishedRunTable.load(directory: Self.root.appendingPathComponent("Data/validation").path)
        #expect(runs.count == 221)
        let report = try AccuracyBench.run(runs, systems: Self.systems)
        #expect(report.rows.count + report.excluded.count == runs.count)
        #expect(report.rows.count >= 40)
        #expect(report.shardedRows >= 10)
        #expect(report.overall.mape <= 8, "overall MAPE \(report.overall.mape)")
        for s in report.sources { #expect(s.mape <= 12, "\(s.source) MAPE \(s.mape)") }
        #expect(report.validationOnly.mape <= 8, "MAPE over the rows no knob was fitted on \(report.validationOnly.mape)")
        #expect(report.sources.map(\.source) == ["dgxc", "fms-fsdp", "nemo", "torchtitan"])
        // Every row's error is reported with its sign.
        #expect(report.rows.allSatisfy { r in
            let expected = r.metric == "step_time_s" ? (r.predicted - r.measured) / r.measured : r.measured / r.predicted - 1
            return abs(r.signedError - expected) < 1e-12
        })
        // The fit is reproducible: fitting again on the calibration rows gives the shipped scale to two decimals.
        let fit = try AccuracyBench.fitGemmScale(runs, systems: Self.systems)
        #expect(fit.rows == 12 && abs(fit.scale - Self.systems.system(named: "dgx-h100")!.efficiency.gemmScale) < 0.005, "fit \(fit)")
    }
}

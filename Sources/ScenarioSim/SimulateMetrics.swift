import ResultStore

extension SimulateReport {
    public func metrics() -> [MetricRecord] {
        stages.flatMap { s -> [MetricRecord] in
            let r = s.result
            return [
                MetricRecord(stage: s.stage, name: "iteration_time", value: r.iterationTime, unit: "s"),
                MetricRecord(stage: s.stage, name: "tokens_per_second", value: r.tokensPerSecond, unit: "tokens/s"),
                MetricRecord(stage: s.stage, name: "model_tflops_per_gpu", value: r.modelTFLOPsPerGPU, unit: "TFLOP/s"),
                MetricRecord(stage: s.stage, name: "hardware_tflops_per_gpu", value: r.hardwareTFLOPsPerGPU, unit: "TFLOP/s"),
                MetricRecord(stage: s.stage, name: "mfu", value: r.mfu, unit: "fraction"),
                MetricRecord(stage: s.stage, name: "hfu", value: r.hfu, unit: "fraction"),
                MetricRecord(stage: s.stage, name: "bubble_fraction", value: r.bubbleFraction, unit: "fraction"),
                MetricRecord(stage: s.stage, name: "memory_peak_per_gpu", value: r.memory.peak.total, unit: "bytes"),
            ]
        }
    }
}

import ResultStore

extension RunEstimate {
    public func metrics() -> [MetricRecord] {
        var out: [MetricRecord] = []
        for s in stages {
            out += [
                MetricRecord(stage: s.stage, name: "days", value: s.days, unit: "days"),
                MetricRecord(stage: s.stage, name: "gpu_hours", value: s.spend.gpuHours, unit: "GPU-hours"),
                MetricRecord(stage: s.stage, name: "usd", value: s.spend.usd, unit: "USD"),
                MetricRecord(stage: s.stage, name: "iteration_time", value: s.iterationSeconds, unit: "s"),
                MetricRecord(stage: s.stage, name: "tokens", value: s.tokens, unit: "tokens"),
            ]
        }
        out += [
            MetricRecord(stage: nil, name: "days", value: days, unit: "days"),
            MetricRecord(stage: nil, name: "gpu_hours", value: spend.gpuHours, unit: "GPU-hours"),
            MetricRecord(stage: nil, name: "usd", value: spend.usd, unit: "USD"),
            MetricRecord(stage: nil, name: "energy_mwh", value: spend.energyMWh, unit: "MWh"),
            MetricRecord(stage: nil, name: "tco2e", value: spend.tCO2e, unit: "tCO2e"),
            MetricRecord(stage: nil, name: "cost_index_midpoint", value: flops.costIndex.midpoint, unit: "FLOPs"),
        ]
        return out
    }
}

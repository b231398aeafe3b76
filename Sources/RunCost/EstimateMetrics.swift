import Reporting

extension RunEstimate {
    public func metrics() -> [Metric] {
        var out: [Metric] = []
        for s in stages {
            out += [
                Metric(stage: s.stage, name: "days", value: s.days, unit: "days"),
                Metric(stage: s.stage, name: "gpu_hours", value: s.spend.gpuHours, unit: "GPU-hours"),
                Metric(stage: s.stage, name: "usd", value: s.spend.usd, unit: "USD"),
                Metric(stage: s.stage, name: "iteration_time", value: s.iterationSeconds, unit: "s"),
                Metric(stage: s.stage, name: "tokens", value: s.tokens, unit: "tokens"),
            ]
        }
        out += [
            Metric(stage: nil, name: "days", value: days, unit: "days"),
            Metric(stage: nil, name: "gpu_hours", value: spend.gpuHours, unit: "GPU-hours"),
            Metric(stage: nil, name: "usd", value: spend.usd, unit: "USD"),
            Metric(stage: nil, name: "energy_mwh", value: spend.energyMWh, unit: "MWh"),
            Metric(stage: nil, name: "tco2e", value: spend.tCO2e, unit: "tCO2e"),
            Metric(stage: nil, name: "cost_index_midpoint", value: flops.costIndex.midpoint, unit: "FLOPs"),
        ]
        return out
    }
}

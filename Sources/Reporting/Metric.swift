/// One named number of a report (stage "101B", name "days", unit "days"): what reports flatten their results
/// into for tables, notebooks and the results database — which stores them without the reports knowing it.
public struct Metric: Sendable, Equatable, Codable {
    public var stage: String?
    public var name: String
    public var value: Double
    public var unit: String
    public init(stage: String?, name: String, value: Double, unit: String) {
        self.stage = stage; self.name = name; self.value = value; self.unit = unit
    }
}

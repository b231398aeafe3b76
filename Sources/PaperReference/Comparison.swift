/// A published figure next to the model's figure for the same quantity.
public struct Comparison: Codable, Sendable, Equatable {
    public init(quantity: String, unit: String, paper: Double, model: Double, relativeDelta: Double, source: String, method: String) {
        self.quantity = quantity; self.unit = unit; self.paper = paper; self.model = model
        self.relativeDelta = relativeDelta; self.source = source; self.method = method
    }
    public var quantity: String
    public var unit: String
    public var paper: Double
    public var model: Double
    /// (model − paper) / paper.
    public var relativeDelta: Double
    public var source: String
    /// How the model's figure was computed.
    public var method: String
}

extension Comparison {
    public init(_ f: ReferenceFigure, model: Double, method: String) {
        self.init(quantity: f.quantity, unit: f.unit, paper: f.value, model: model,
                  relativeDelta: (model - f.value) / f.value, source: f.source, method: method)
    }
}

import MiniGPT
import ModelKit

/// One of MSG's growth operators (Yao et al. 2024 §3; `../shared/research/mup-growth.md` §3.1). Each changes one
/// family of dimensions and is strictly function-preserving at mask value 0 whatever the new weights hold.
public enum GrowthOperator: String, Codable, Sendable, CaseIterable {
    /// FFN width: new neurons masked before the activation.
    case ffn
    /// More attention heads of the same width, which widens attention and the residual stream together
    /// (FLM-101B's and Tele-FLM's path: d_head stays 128).
    case heads
    /// The residual (hidden) width on its own, with masked norm statistics.
    case hidden
    /// New layers inserted as h + c·(block(h) − h).
    case depth

    /// The shape after this operator takes `from` towards `target` (only its own dimensions change).
    public func apply(_ from: ModelArchitecture, towards target: ModelArchitecture) -> ModelArchitecture {
        var m = from
        switch self {
        case .ffn: m.ffnHidden = target.ffnHidden
        case .heads: m.heads = target.heads; m.hidden = target.hidden
        case .hidden: m.hidden = target.hidden
        case .depth: m.layers = target.layers
        }
        return m
    }
}

/// Where depth growth inserts its new layers.
public enum LayerPlacement: Codable, Sendable, Equatable {
    /// After the last old layer (MSG's and bert2BERT's default; G_stack stacks the whole model on top).
    case top
    /// Spread between the old layers, new ones right after old ones (as stacking methods interleave).
    case interleave
    /// Explicit indices of the new layers in the grown model.
    case indices([Int])

    /// Indices (in the grown model) of the `added` new layers among `old` old ones, ascending.
    public func newLayerIndices(old: Int, added: Int) -> [Int] {
        switch self {
        case .top: return Array(old..<(old + added))
        case .indices(let list): return list.sorted()
        case .interleave:
            var out: [Int] = [], position = 0
            for i in 0..<old {
                position += 1  // old layer i
                let count = ((i + 1) * added) / old - (i * added) / old
                for _ in 0..<count { out.append(position); position += 1 }
            }
            return out
        }
    }
}

/// What new layers start from.
public enum NewLayerInit: String, Codable, Sendable, CaseIterable {
    /// The parametrisation's initialisation at the new shape (MSG's `random`).
    case initialize = "init"
    /// A copy of a neighbour: the old layer right below (interleaved) or the stack repeated (on top) — G_stack's
    /// and MSG's default operator. Adam state of copies starts at zero, as for any new parameter.
    case copy
}

/// The settings of one growth: which operator, how long its mask ramps, and the depth options.
public struct GrowthStep: Codable, Sendable, Equatable {
    public var op: GrowthOperator
    public var from: ModelArchitecture
    public var to: ModelArchitecture
    /// Optimizer steps over which the mask ramps 0 → 1 (MSG's `grow_time`).
    public var rampSteps: Int
    public var placement: LayerPlacement
    public var newLayerInit: NewLayerInit

    public init(op: GrowthOperator, from: ModelArchitecture, to: ModelArchitecture, rampSteps: Int,
                placement: LayerPlacement = .top, newLayerInit: NewLayerInit = .initialize) {
        self.op = op; self.from = from; self.to = to; self.rampSteps = rampSteps
        self.placement = placement; self.newLayerInit = newLayerInit
    }

    /// Indices of the inserted layers in the grown model (empty unless depth).
    public var newLayers: [Int] { op == .depth ? placement.newLayerIndices(old: from.layers, added: to.layers - from.layers) : [] }

    /// The masks right after this growth, at value c.
    public func mask(value c: Double) -> GrowthMask {
        GrowthMask(value: c,
                       newHiddenFrom: to.hidden > from.hidden ? from.hidden : nil,
                       newHeadsFrom: to.heads > from.heads ? from.heads : nil,
                       newFFNFrom: to.ffnHidden > from.ffnHidden ? from.ffnHidden : nil,
                       newLayers: newLayers)
    }
}

import MiniGPT
import ModelKit

/// A growth that cannot be applied, with what was expected.
public struct GrowthError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Where one tensor of the grown model comes from.
public struct TensorSource: Sendable, Equatable {
    /// Tensor of the grown model.
    public var name: String
    /// Tensor of the old model copied into its leading block (nil: kept as initialised).
    public var source: String?
    /// Multiplies the copied values (µP's readout rescale; 1 otherwise).
    public var scale: Double
    /// Whether the optimizer state moves with the values. False for new layers copied from a neighbour: their
    /// Adam moments start at zero like any new parameter's (MSG gives new blocks fresh parameter groups).
    public var carriesState: Bool
}

/// Applies a `GrowthStep` to a model: a new model of the grown shape, initialised by the new shape's
/// parametrisation, every old tensor copied into its leading block (fused q|k|v and gate|up blocks each in
/// place), new structure behind MSG's masks at c = 0. Adam moments follow the same map.
public enum Grower {
    /// The tensor map of `step`. Under µP the readout multiplier α_out/m changes with the width m; the old readout
    /// columns are multiplied by α_old/α_new so logits are unchanged (and its Adam moments by the inverse powers,
    /// so that m/√v — the update direction — is unchanged too).
    public static func sources(for step: GrowthStep, tensors: [TensorSpec], old: Parametrization,
                               new: Parametrization) throws -> [TensorSource] {
        let readoutScale = old.outputMultiplier / new.outputMultiplier
        if readoutScale != 1 && step.to.tiedEmbeddings {
            throw GrowthError("growing the width changes the readout multiplier (\(old.outputMultiplier) → \(new.outputMultiplier), µP's α_out/m) and the readout is tied to the embedding, so the function cannot be preserved: use tied_embeddings: false")
        }
        if old.attentionFactor(headDim: step.from.headDim) != new.attentionFactor(headDim: step.to.headDim) {
            throw GrowthError("growth changes the attention logit scale (\(old.attentionFactor(headDim: step.from.headDim)) → \(new.attentionFactor(headDim: step.to.headDim))); grow with head_width: fixed so heads keep their width and scale")
        }
        let layerSource = layerSources(step)
        return tensors.map { t in
            var source: String? = t.name, carries = true
            if t.name.hasPrefix("layers.") {
                let parts = t.name.split(separator: ".", maxSplits: 2)
                let index = Int(parts[1])!
                switch layerSource[index] {
                case .old(let i): source = "layers.\(i).\(parts[2])"
                case .copy(let i): source = "layers.\(i).\(parts[2])"; carries = false
                case .fresh: source = nil; carries = false
                }
            }
            return TensorSource(name: t.name, source: source, scale: t.name == "readout.weight" ? readoutScale : 1,
                                carriesState: carries)
        }
    }

    enum LayerSource: Equatable { case old(Int), copy(Int), fresh }

    /// For every layer of the grown model: the old layer it continues, the old layer it copies, or none.
    static func layerSources(_ step: GrowthStep) -> [LayerSource] {
        let inserted = Set(step.newLayers)
        var out: [LayerSource] = [], oldIndex = 0, insertedSoFar = 0
        for j in 0..<step.to.layers {
            if inserted.contains(j) {
                switch step.newLayerInit {
                case .initialize: out.append(.fresh)
                case .copy:
                    // On top: the old stack repeated (G_stack); elsewhere: the old layer right below.
                    let neighbour = step.placement == .top ? insertedSoFar % step.from.layers : max(0, oldIndex - 1)
                    out.append(.copy(neighbour))
                }
                insertedSoFar += 1
            } else {
                out.append(.old(oldIndex))
                oldIndex += 1
            }
        }
        return out
    }

    /// The grown model, behind masks at c = 0, and the tensor map that moved it (for the optimizer state).
    /// `prepare` runs on the new model before the old tensors are copied in (tests fill it with random values to
    /// show that preservation does not depend on the new weights).
    public static func grow<S: GPTScalar>(_ model: GPT<S>, step: GrowthStep, parametrization: Parametrization,
                                          seed: UInt64, prepare: ((GPT<S>) -> Void)? = nil) throws
        -> (model: GPT<S>, map: [TensorSource]) {
        guard model.architecture == step.from else {
            throw GrowthError("the model's shape does not match the growth's starting shape")
        }
        let grown = try GPT<S>(architecture: step.to, parametrization: parametrization, maxBatch: model.maxBatch, seed: seed)
        prepare?(grown)
        let map = try sources(for: step, tensors: grown.parameters.tensors, old: model.parametrization, new: parametrization)
        transfer(map, from: model.parameters.values.pointer, model.parameters, to: grown.parameters.values.pointer,
                 grown.parameters, scalePower: 1, stateOnly: false)
        grown.setGrowthMask(step.mask(value: 0))
        return (grown, map)
    }

    /// Moves per-parameter arrays (values, or Adam moments with scalePower −1 and −2) along the tensor map.
    /// Destinations not covered keep their contents (zero for fresh optimizer state).
    public static func transfer<S: GPTScalar, D: GPTScalar>(
        _ map: [TensorSource], from source: UnsafePointer<S>, _ oldStore: ParameterStore<S>,
        to destination: UnsafeMutablePointer<D>, _ newStore: ParameterStore<D>, scalePower: Int, stateOnly: Bool) {
        for entry in map {
            guard let name = entry.source, let old = oldStore.spec(name), let new = newStore.spec(entry.name) else { continue }
            if stateOnly && !entry.carriesState { continue }
            var scale = 1.0
            for _ in 0..<abs(scalePower) { scale *= scalePower > 0 ? entry.scale : 1 / entry.scale }
            ParameterStore<D>.copyLeadingBlock(from: source + old.offset, old, to: destination + new.offset, new, scale: scale)
        }
    }
}

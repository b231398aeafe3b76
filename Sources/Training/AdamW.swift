import Foundation
import MiniGPT

/// AdamW (Loshchilov & Hutter 2019, Algorithm 2): Adam moments with bias correction and decoupled weight decay
///   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  θ ← θ − η·(m̂/(√v̂ + ε) + λθ)
/// with η = schedule LR × the tensor role's LR multiplier (µP's per-class Adam LR), and λ applied only to
/// roles with weight decay. Moments are Float32 buffers the size of the parameters (stored in checkpoints).
public final class AdamW: @unchecked Sendable {
    public let config: OptimizerConfig
    public let firstMoment: Buffer<Float>
    public let secondMoment: Buffer<Float>
    /// Updates applied so far (the bias-correction exponent).
    public var step = 0
    private let groups: [(range: Range<Int>, lrMultiplier: Double, decay: Double)]

    public init(config: OptimizerConfig, parameters: ParameterStore<Float>, parametrization: Parametrization) {
        self.config = config
        firstMoment = Buffer(count: parameters.count)
        secondMoment = Buffer(count: parameters.count)
        groups = parameters.tensors.map { t in
            let s = parametrization.settings(t.role)
            return (t.range, s.lrMultiplier, s.weightDecay ? s.weightDecayMultiplier : 0)
        }
    }

    /// One update with learning rate `lr` (before role multipliers).
    public func update(_ parameters: ParameterStore<Float>, lr: Double) {
        step += 1
        let b1 = Float(config.beta1), b2 = Float(config.beta2), eps = Float(config.epsilon)
        let c1 = 1 / (1 - Foundation.pow(config.beta1, Double(step))), c2 = 1 / (1 - Foundation.pow(config.beta2, Double(step)))
        let p = parameters.values.pointer, g = parameters.gradients.pointer
        let m = firstMoment.pointer, v = secondMoment.pointer
        for group in groups {
            let eta = Float(lr * group.lrMultiplier)
            let decay = Float(1 - lr * group.lrMultiplier * config.weightDecay * group.decay)
            let sc1 = Float(c1), sc2 = Float(c2)
            for i in group.range {
                let gi = g[i]
                let mi = b1 * m[i] + (1 - b1) * gi
                let vi = b2 * v[i] + (1 - b2) * gi * gi
                m[i] = mi
                v[i] = vi
                let update = (mi * sc1) / ((vi * sc2).squareRoot() + eps)
                p[i] = p[i] * decay - eta * update
            }
        }
    }
}

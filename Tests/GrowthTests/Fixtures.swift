import Growth
import MiniGPT
import ModelKit
import SeededRandom

/// Small shapes and fixed batches for the growth tests.
enum Fixture {
    static let batch = 2

    static func base(norm: Norm, activation: Activation, position: PositionEncoding = .rope) -> ModelArchitecture {
        ModelArchitecture(layers: 2, hidden: 16, heads: 2, headDim: 8, ffnHidden: 32, vocab: 32, sequenceLength: 8,
                          activation: activation, norm: norm, position: position, tiedEmbeddings: false, linearBiases: true)
    }

    /// One growth of each kind from `base`.
    static func steps(from m: ModelArchitecture) -> [(String, GrowthStep)] {
        var ffn = m; ffn.ffnHidden = 48
        var heads = m; heads.heads = 3; heads.hidden = 24
        var hidden = m; hidden.hidden = 24
        var deep = m; deep.layers = 4
        var deeper = m; deeper.layers = 3
        return [
            ("ffn", GrowthStep(op: .ffn, from: m, to: ffn, rampSteps: 4)),
            ("heads", GrowthStep(op: .heads, from: m, to: heads, rampSteps: 4)),
            ("hidden", GrowthStep(op: .hidden, from: m, to: hidden, rampSteps: 4)),
            ("depth-top-init", GrowthStep(op: .depth, from: m, to: deep, rampSteps: 4, placement: .top, newLayerInit: .initialize)),
            ("depth-interleave-copy", GrowthStep(op: .depth, from: m, to: deep, rampSteps: 4, placement: .interleave, newLayerInit: .copy)),
            ("depth-at-0-copy", GrowthStep(op: .depth, from: m, to: deeper, rampSteps: 4, placement: .indices([0]), newLayerInit: .copy)),
        ]
    }

    /// SP as given, or µP with base width 16 (so the first shape is the base and growth changes m).
    static func parametrization(_ mup: Bool, _ m: ModelArchitecture) -> Parametrization {
        let hyper = HyperParameters(learningRate: 1e-2, matrixLearningRate: 1e-2, minLearningRate: 1e-3, initStd: 0.05,
                                    matrixInitStd: 0.1, inputMultiplier: 2, outputMultiplier: 3)
        return WidthScaling(kind: mup ? .mup : .standard, baseHidden: 16, hyper: hyper).parametrization(for: m)
    }

    static func windows(_ m: ModelArchitecture, seed: UInt64 = 3) -> [Int32] {
        var g = Xoshiro256(seed: seed)
        return (0..<(batch * (m.sequenceLength + 1))).map { _ in Int32(g.next() % UInt64(m.vocab)) }
    }

    /// Fills every parameter with values in [−0.5, 0.5] (gains and biases too): new weights are arbitrary.
    static func randomize<S: GPTScalar>(_ model: GPT<S>, seed: UInt64) {
        var g = Xoshiro256(seed: seed)
        let p = model.parameters.values
        for i in 0..<p.count { p[i] = S(g.nextDouble() - 0.5) }
    }

    /// Mean loss and its gradient (zeroed first) for `windows`.
    static func lossAndGradient<S: GPTScalar>(_ model: GPT<S>, _ windows: [Int32]) -> (Double, [S]) {
        model.parameters.zeroGradients()
        let tokens = Double(batch * model.architecture.sequenceLength)
        let sum = windows.withUnsafeBufferPointer { model.forward(windows: $0.baseAddress!, batch: batch) }
        model.backward(lossWeight: 1 / tokens)
        return (sum / tokens, model.parameters.gradients.array)
    }

    static var cases: [(String, Norm, Activation, Bool)] {
        var out: [(String, Norm, Activation, Bool)] = []
        for norm in Norm.allCases { for act in Activation.allCases { for mup in [false, true] {
            out.append(("\(norm.rawValue)-\(act.rawValue)-\(mup ? "mup" : "sp")", norm, act, mup))
        } } }
        return out
    }
}

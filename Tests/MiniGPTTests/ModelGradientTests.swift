import Testing
@testable import MiniGPT
import ModelKit

/// The whole model's backward against finite differences of its mean loss, for every combination of layer
/// choices that matters (norm, activation, positions, tied/untied readout, biases, µP-style multipliers).
@Suite struct ModelGradientTests {
    struct Case: Sendable, CustomStringConvertible {
        var norm: Norm, activation: Activation, position: PositionEncoding, tied: Bool, biases: Bool
        var scale: AttentionScale, inputMult: Double, outputMult: Double
        var description: String { "\(norm) \(activation) \(position) tied=\(tied) bias=\(biases) \(scale)" }
    }

    static let cases: [Case] = [
        Case(norm: .layernorm, activation: .gelu, position: .learned, tied: false, biases: true, scale: .inverseSqrt, inputMult: 1, outputMult: 1),
        Case(norm: .rmsnorm, activation: .swiglu, position: .rope, tied: true, biases: false, scale: .inverseSqrt, inputMult: 1, outputMult: 1),
        Case(norm: .layernorm, activation: .gelu, position: .xpos, tied: true, biases: true, scale: .inverse, inputMult: 2.5, outputMult: 0.4),
        Case(norm: .rmsnorm, activation: .gelu, position: .learned, tied: true, biases: true, scale: .inverse, inputMult: 1, outputMult: 3),
    ]

    @Test(arguments: cases)
    func wholeModel(_ c: Case) throws {
        let m = ModelArchitecture(layers: 2, hidden: 8, heads: 2, ffnHidden: 12, vocab: 11, paddedVocab: 13,
                                  sequenceLength: 6, activation: c.activation, norm: c.norm, position: c.position,
                                  tiedEmbeddings: c.tied, linearBiases: c.biases)
        var p = Parametrization()
        // Large σ so that every path carries visible gradient (σ = 0.02 leaves attention nearly uniform).
        p.embedding.initStd = 0.5; p.position.initStd = 0.5; p.hidden.initStd = 0.4; p.readout.initStd = 0.5
        p.attentionScale = c.scale; p.inputMultiplier = c.inputMult; p.outputMultiplier = c.outputMult
        let model = try GPT<Double>(architecture: m, parametrization: p, maxBatch: 2, seed: 5)
        // Norm gains and biases away from their 1/0 start, so their gradients are generic too.
        for t in model.parameters.tensors where t.role == .vector {
            let r = randomValues(t.count, seed: UInt64(t.offset + 1), range: 0.5)
            for i in 0..<t.count { model.parameters.values[t.offset + i] += r[i] }
        }
        let windows: [Int32] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7]
        let tokens = Double(2 * m.sequenceLength)
        let mean = model.meanLoss(windows: windows, batch: 2)
        #expect(mean > 0)
        model.parameters.zeroGradients()
        _ = windows.withUnsafeBufferPointer { model.forward(windows: $0.baseAddress!, batch: 2) }
        model.backward(lossWeight: 1 / tokens)
        let analytic = model.parameters.gradients.array
        let e = finiteDifferenceError(parameter: model.parameters.values.pointer, count: model.parameters.count,
                                      analytic: analytic) { model.meanLoss(windows: windows, batch: 2) }
        #expect(e.worst < gradientTolerance, "\(c): worst relative error \(e.worst) (gradient scale \(e.scale))")
        // Every tensor receives gradient (nothing is silently disconnected).
        for t in model.parameters.tensors {
            let g = analytic[t.range].map(abs).max() ?? 0
            #expect(g > 0, "\(t.name) has no gradient")
        }
    }

    @Test func parameterCountMatchesModelKit() throws {
        for act in Activation.allCases {
            for norm in Norm.allCases {
                for pos in PositionEncoding.allCases {
                    for tied in [true, false] {
                        for bias in [true, false] {
                            let m = ModelArchitecture(layers: 2, hidden: 8, heads: 2, ffnHidden: 12, vocab: 11,
                                                      paddedVocab: 16, sequenceLength: 6, activation: act, norm: norm,
                                                      position: pos, tiedEmbeddings: tied, linearBiases: bias)
                            let model = try GPT<Float>(architecture: m, maxBatch: 1, seed: 1)
                            #expect(model.parameters.count == ParameterCount(m).total, "\(m)")
                        }
                    }
                }
            }
        }
    }

    @Test func invalidShapeIsRejectedWithTheField() {
        let m = ModelArchitecture(layers: 1, hidden: 6, heads: 2, headDim: 3, ffnHidden: 4, vocab: 5, sequenceLength: 4,
                                  position: .rope)
        #expect(throws: ModelError.self) { try GPT<Float>(architecture: m, maxBatch: 1, seed: 1) }
        do { _ = try GPT<Float>(architecture: m, maxBatch: 1, seed: 1) } catch {
            #expect("\(error)".contains("head_dim"))
        }
    }
}

import Testing
@testable import Growth
import MiniGPT
import ModelKit

/// MSG's claim, for every operator × {SP, µP} × {LayerNorm, RMSNorm} × {GELU, SwiGLU}: right after growth
/// (mask 0), with arbitrary new weights, the loss on a fixed batch and the gradients of the old parameters are
/// those of the old model; new parameters get zero gradient.
@Suite struct FunctionPreservationTests {
    /// Grows a randomised model and compares loss and gradients before and after; returns the worst relative
    /// differences (loss, gradient).
    func preservation<S: GPTScalar>(_: S.Type, step: GrowthStep, mup: Bool) throws -> (loss: Double, gradient: Double) {
        let pOld = Fixture.parametrization(mup, step.from), pNew = Fixture.parametrization(mup, step.to)
        let old = try GPT<S>(architecture: step.from, parametrization: pOld, maxBatch: Fixture.batch, seed: 1)
        Fixture.randomize(old, seed: 11)
        let windows = Fixture.windows(step.from)
        let (lossOld, gradOld) = Fixture.lossAndGradient(old, windows)
        let grown = try Grower.grow(old, step: step, parametrization: pNew, seed: 2) { Fixture.randomize($0, seed: 12) }.model
        #expect(grown.growthMask?.value == 0)
        let (lossNew, gradNew) = Fixture.lossAndGradient(grown, windows)

        // Expected gradient: the old one moved along the tensor map (÷ the rescale), zero everywhere else.
        let map = try Grower.sources(for: step, tensors: grown.parameters.tensors, old: pOld, new: pNew)
        var expected = [S](repeating: 0, count: grown.parameters.count)
        gradOld.withUnsafeBufferPointer { src in
            expected.withUnsafeMutableBufferPointer { dst in
                Grower.transfer(map, from: src.baseAddress!, old.parameters, to: dst.baseAddress!, grown.parameters,
                                scalePower: -1, stateOnly: true)
            }
        }
        let scale = Double(expected.map { abs($0) }.max()!)
        var worst = 0.0
        for i in 0..<expected.count { worst = max(worst, Double(abs(gradNew[i] - expected[i])) / scale) }
        return (abs(lossNew - lossOld) / abs(lossOld), worst)
    }

    /// Every operator and case in one precision, against a relative tolerance.
    func preservesEverywhere<S: GPTScalar>(_ type: S.Type, tolerance: Double) throws {
        for (name, norm, act, mup) in Fixture.cases {
            for (op, step) in Fixture.steps(from: Fixture.base(norm: norm, activation: act)) {
                let r = try preservation(type, step: step, mup: mup)
                #expect(r.loss < tolerance, "\(op) \(name): loss changed by \(r.loss) relative")
                #expect(r.gradient < tolerance, "\(op) \(name): gradients changed by \(r.gradient) of their scale")
            }
        }
    }

    @Test func float32PreservesLossAndGradients() throws { try preservesEverywhere(Float.self, tolerance: 1e-5) }

    @Test func doublePreservesLossAndGradients() throws { try preservesEverywhere(Double.self, tolerance: 1e-10) }

    @Test func learnedPositionsGrowToo() throws {
        let m = Fixture.base(norm: .layernorm, activation: .gelu, position: .learned)
        for (op, step) in Fixture.steps(from: m) {
            let r = try preservation(Double.self, step: step, mup: true)
            #expect(r.loss < 1e-10 && r.gradient < 1e-10, "\(op): \(r)")
        }
    }

    /// µP's readout rescale is what keeps the function: without it the logits change by m_new/m_old.
    @Test func mupRescalesTheReadoutByTheWidthRatio() throws {
        let m = Fixture.base(norm: .rmsnorm, activation: .swiglu)
        let step = Fixture.steps(from: m).first { $0.0 == "heads" }!.1
        let map = try Grower.sources(for: step, tensors: try GPT<Float>(architecture: step.to, maxBatch: 1, seed: 1).parameters.tensors,
                                     old: Fixture.parametrization(true, step.from), new: Fixture.parametrization(true, step.to))
        #expect(map.first { $0.name == "readout.weight" }?.scale == 24.0 / 16.0)
        #expect(map.filter { $0.scale != 1 }.count == 1)
    }

    @Test func tiedReadoutCannotGrowUnderMuP() throws {
        var m = Fixture.base(norm: .layernorm, activation: .gelu); m.tiedEmbeddings = true
        var to = m; to.hidden = 24
        let step = GrowthStep(op: .hidden, from: m, to: to, rampSteps: 2)
        let old = try GPT<Double>(architecture: m, parametrization: Fixture.parametrization(true, m), maxBatch: 1, seed: 1)
        #expect(throws: GrowthError.self) {
            _ = try Grower.grow(old, step: step, parametrization: Fixture.parametrization(true, to), seed: 2)
        }
    }
}

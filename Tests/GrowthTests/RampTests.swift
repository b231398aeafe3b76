import Testing
@testable import Growth
import MiniGPT
import ModelKit
import SeededRandom

/// The masked model mid-ramp is differentiable as written (finite differences), and at the end of the ramp the
/// mask-free model of the new shape computes the same function as the masked one at c = 1.
@Suite struct RampTests {
    func grown<S: GPTScalar>(_: S.Type, _ step: GrowthStep, mup: Bool) throws -> GPT<S> {
        let old = try GPT<S>(architecture: step.from, parametrization: Fixture.parametrization(mup, step.from),
                             maxBatch: Fixture.batch, seed: 1)
        Fixture.randomize(old, seed: 11)
        return try Grower.grow(old, step: step, parametrization: Fixture.parametrization(mup, step.to), seed: 2) {
            Fixture.randomize($0, seed: 12)
        }.model
    }

    /// Central differences on three entries of every tensor (old and new coordinates alike) at mask 0.5.
    @Test func finiteDifferencesAgreeMidRamp() throws {
        for (name, norm, act, mup) in Fixture.cases {
            for (op, step) in Fixture.steps(from: Fixture.base(norm: norm, activation: act)) {
                let model = try grown(Double.self, step, mup: mup)
                model.setGrowthMask(step.mask(value: 0.5))
                let windows = Fixture.windows(step.to)
                let (_, analytic) = Fixture.lossAndGradient(model, windows)
                let values = model.parameters.values.pointer
                var rng = Xoshiro256(seed: 5)
                var worst = 0.0, scale = 1e-12
                var checks: [(Int, Double)] = []
                for t in model.parameters.tensors {
                    for _ in 0..<3 {
                        let i = t.offset + Int(rng.next() % UInt64(t.count)), h = 1e-5, saved = values[i]
                        values[i] = saved + h
                        let up = model.meanLoss(windows: windows, batch: Fixture.batch)
                        values[i] = saved - h
                        let down = model.meanLoss(windows: windows, batch: Fixture.batch)
                        values[i] = saved
                        checks.append((i, (up - down) / (2 * h)))
                    }
                }
                for (_, n) in checks { scale = max(scale, abs(n)) }
                for (i, n) in checks { worst = max(worst, abs(n - analytic[i]) / scale) }
                #expect(worst < 1e-6, "\(op) \(name): finite-difference error \(worst) of the gradient scale \(scale)")
            }
        }
    }

    /// At c = 1 the masks multiply by one; removing them must not change the numbers. Width masks run the same
    /// arithmetic (bit-identical); the layer mask's h + 1·(block(h) − h) rounds once more (relative 1e-6 in Float).
    @Test func maskFreeModelMatchesTheEndOfTheRamp() throws {
        for (name, norm, act, mup) in Fixture.cases {
            for (op, step) in Fixture.steps(from: Fixture.base(norm: norm, activation: act)) {
                let model = try grown(Float.self, step, mup: mup)
                let windows = Fixture.windows(step.to)
                model.setGrowthMask(step.mask(value: 1))
                let (lossMasked, gradMasked) = Fixture.lossAndGradient(model, windows)
                model.setGrowthMask(nil)
                let (lossPlain, gradPlain) = Fixture.lossAndGradient(model, windows)
                if step.op == .depth {
                    let scale = gradPlain.map { abs($0) }.max()!
                    let worst = zip(gradMasked, gradPlain).map { abs($0 - $1) }.max()! / scale
                    #expect(abs(lossMasked - lossPlain) / lossPlain < 1e-6, "\(op) \(name)")
                    #expect(worst < 1e-5, "\(op) \(name): gradients differ by \(worst) of their scale")
                } else {
                    #expect(lossMasked == lossPlain, "\(op) \(name): \(lossMasked) vs \(lossPlain)")
                    #expect(gradMasked == gradPlain, "\(op) \(name): gradients differ")
                }
            }
        }
    }

    /// The ramp moves the function continuously from the old model (c = 0) to the new one (c = 1).
    @Test func lossMovesAwayFromTheOldModelAsTheMaskRises() throws {
        let m = Fixture.base(norm: .rmsnorm, activation: .swiglu)
        for (op, step) in Fixture.steps(from: m) {
            let model = try grown(Double.self, step, mup: true)
            let windows = Fixture.windows(step.to)
            let l0 = model.meanLoss(windows: windows, batch: Fixture.batch)
            model.setGrowthMask(step.mask(value: 0.5))
            let l5 = model.meanLoss(windows: windows, batch: Fixture.batch)
            #expect(abs(l5 - l0) > 1e-6, "\(op): the new structure has no effect at c = 0.5")
        }
    }
}

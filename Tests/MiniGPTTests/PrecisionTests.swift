import Testing
@testable import MiniGPT
import ModelKit
import LinearAlgebra
import Foundation

@Suite struct PrecisionTests {
    /// The Float training path (sgemm, SIMD exp/tanh) agrees with the Double reference path.
    @Test(arguments: [Activation.gelu, .swiglu])
    func floatMatchesDouble(activation: Activation) throws {
        let m = ModelArchitecture(layers: 2, hidden: 32, heads: 4, ffnHidden: 64, vocab: 40, sequenceLength: 16,
                                  activation: activation, position: .rope, tiedEmbeddings: false)
        var p = Parametrization(); p.hidden.initStd = 0.1
        let f = try GPT<Float>(architecture: m, parametrization: p, maxBatch: 2, seed: 9)
        let d = try GPT<Double>(architecture: m, parametrization: p, maxBatch: 2, seed: 9)
        let windows: [Int32] = (0..<34).map { (i: Int) -> Int32 in Int32((i * 7 + 3) % 40) }
        let lf = windows.withUnsafeBufferPointer { f.forward(windows: $0.baseAddress!, batch: 2) }
        let ld = windows.withUnsafeBufferPointer { d.forward(windows: $0.baseAddress!, batch: 2) }
        let relative: Double = abs(lf - ld) / ld
        #expect(relative < 1e-5)
        f.backward(lossWeight: 1.0 / 32)
        d.backward(lossWeight: 1.0 / 32)
        var diff = 0.0, norm = 0.0
        for i in 0..<d.parameters.count {
            let a = Double(f.parameters.gradients[i]), b = d.parameters.gradients[i]
            diff += (a - b) * (a - b); norm += b * b
        }
        #expect((diff / norm).squareRoot() < 1e-4)
    }

    /// Same seed, same inputs, same thread count ⇒ bit-identical loss and gradients (also with 2 workers).
    @Test(arguments: [1, 2])
    func deterministic(threads: Int) throws {
        let saved = Parallel.threads
        Parallel.threads = threads
        defer { Parallel.threads = saved }
        let m = ModelArchitecture(layers: 2, hidden: 32, heads: 4, ffnHidden: 64, vocab: 50, sequenceLength: 32)
        func run() throws -> (Double, [Float]) {
            let g = try GPT<Float>(architecture: m, maxBatch: 3, seed: 4)
            let windows: [Int32] = (0..<99).map { (i: Int) -> Int32 in Int32((i * 13 + 1) % 50) }
            let l = windows.withUnsafeBufferPointer { g.forward(windows: $0.baseAddress!, batch: 3) }
            g.backward(lossWeight: 1)
            return (l, g.parameters.gradients.array)
        }
        let (l1, g1) = try run(), (l2, g2) = try run()
        #expect(l1 == l2)
        #expect(g1 == g2)
    }

    @Test func fastExpAndTanhMatchLibm() {
        let xs: [Float] = stride(from: -80, through: 80, by: 0.173).map { Float($0) } + [0, -1e-8, 1e-8, 88, -87]
        var e = [Float](repeating: 0, count: xs.count), t = e
        FastMath.exp(xs, &e, xs.count)
        FastMath.tanh(xs, &t, xs.count)
        for (i, x) in xs.enumerated() {
            let re = abs(Double(e[i]) - Double.exp(Double(x))) / Double.exp(Double(x))
            #expect(re < 1e-6, "exp(\(x))")
            #expect(abs(Double(t[i]) - Foundation.tanh(Double(x))) < 2e-7, "tanh(\(x))")
        }
    }

    @Test func growthCopiesEachFusedBlockIntoItsLeadingRows() throws {
        let small = ModelArchitecture(layers: 1, hidden: 8, heads: 2, ffnHidden: 16, vocab: 10, sequenceLength: 4,
                                      activation: .swiglu)
        var big = small; big.hidden = 12; big.heads = 3; big.ffnHidden = 24
        let a = try GPT<Float>(architecture: small, maxBatch: 1, seed: 1)
        let b = try GPT<Float>(architecture: big, maxBatch: 1, seed: 2)
        for name in ["layers.0.ffn.in.weight", "layers.0.attention.qkv.weight"] {
            let sa = a.parameters.spec(name)!, sb = b.parameters.spec(name)!
            ParameterStore<Float>.copyLeadingBlock(from: a.parameters.values.pointer + sa.offset, sa,
                                                   to: b.parameters.values.pointer + sb.offset, sb)
            // Row 1 of the second block (SwiGLU's up, attention's k) lands in row 1 of the second grown block.
            #expect(b.parameters.values[sb.offset + (sb.blockRows + 1) * 12 + 3] == a.parameters.values[sa.offset + (sa.blockRows + 1) * 8 + 3])
            #expect(sb.rowBlocks == (name.contains("qkv") ? 3 : 2))
        }
    }
}

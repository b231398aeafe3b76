import Testing
@testable import ModelKit

/// The step's collectives as ModelKit describes them: groups, ranks and bytes from first principles.
@Suite struct StepCommunicationTests {
    let m = ModelArchitecture(layers: 8, hidden: 4096, heads: 32, kvHeads: 8, ffnHidden: 14336, vocab: 32000, sequenceLength: 8192)

    @Test func layerCollectives() {
        var l = ParallelLayout(tensor: 4, pipeline: 1, data: 2, microBatch: 2, sequenceParallel: true)
        l.contextParallel = 2
        l.attention = .cudnn
        let rows = 2.0 * 8192 / 2                         // b · s / cp
        let f = StepCommunication.layerForward(m, layout: l)
        // Sequence parallel: a reduce-scatter and an all-gather of the b·s/cp·h 16-bit activation, twice per layer.
        #expect(f.filter { $0.group == .tensor }.map(\.kind) == [.reduceScatter, .allGather])
        #expect(f.filter { $0.group == .tensor }.allSatisfy { $0.bytes == rows * 4096 * 2 && $0.count == 2 && $0.ranks == 4 })
        // Ring attention: cp − 1 sends of this rank's K and V (2 · rows · kv width / t, 16-bit).
        let ring = f.first { $0.group == .context }!
        #expect(ring.kind == .send && ring.count == 1 && ring.bytes == 2 * rows * Double(m.keyValueWidth) / 4 * 2)
        #expect(StepCommunication.layerBackward(m, layout: l).first { $0.group == .context }!.count == 2)
        l.sequenceParallel = false
        #expect(StepCommunication.layerForward(m, layout: l).filter { $0.group == .tensor }.map(\.kind) == [.allReduce])
        #expect(StepCommunication.pipelineSend(m, layout: l).bytes == rows * 4096 * 2 / 4)
    }

    @Test func shardingCollectives() {
        var l = ParallelLayout(tensor: 1, pipeline: 1, data: 64)
        #expect(StepCommunication.gradientReduction(layout: l).map(\.group) == [.data])
        #expect(StepCommunication.parameterGather(layout: l, weightBytes: 2) == nil)
        l.zeroStage = 1
        l.shardGroup = 8
        let r = StepCommunication.gradientReduction(layout: l)
        #expect(r.map(\.group) == [.shard, .shardReplicas] && r.map(\.ranks) == [8, 8] && r[1].bytes == 4.0 / 8)
        #expect(StepCommunication.parameterGather(layout: l, weightBytes: 2)?.ranks == 8)
        l.zeroStage = 3
        l.gradientReduce = .bf16
        let s = StepCommunication.shardedWeights(parameters: 1e9, layout: l, weightBytes: 2)
        #expect(s.gather.map(\.bytes) == [2e9] && s.reduce.map(\.bytes) == [2e9, 2e9 / 8])
        #expect(StepCommunication.parameterGather(layout: l, weightBytes: 2) == nil)
    }
}

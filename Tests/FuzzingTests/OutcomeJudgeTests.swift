import Testing
import Foundation
import SeededRandom
@testable import Fuzzing

@Suite struct OutcomeJudgeTests {
    let file = "/tmp/case-1/scenario.yaml"
    func outcome(_ status: Int32, out: String = "", err: String = "", signalled: Bool = false, timedOut: Bool = false) -> CommandOutcome {
        CommandOutcome(status: status, signalled: signalled, timedOut: timedOut, stdout: out, stderr: err)
    }

    @Test func aCleanRunWithFiniteNumbersPasses() {
        #expect(OutcomeJudge.judge(outcome(0, out: "wall time 20.61 days, information, Infiniband"), input: file) == .cleanSuccess)
    }

    @Test func infinitiesAndNaNsInTheOutputFail() {
        for text in ["wall time inf", "$infT", "+inf%", "x=\"-nan\"", "loss NaN", "speedup Infinity×"] {
            #expect(OutcomeJudge.judge(outcome(0, out: text), input: file) != .cleanSuccess, "\(text)")
        }
    }

    @Test func quotedEchoesOfTheInputAreAllowed() {
        let err = "\(file):12: stages[0].tokens: expected a number, found '.nan'"
        #expect(OutcomeJudge.judge(outcome(1, err: err), input: file) == .clearError)
        #expect(OutcomeJudge.nonFiniteToken(in: "isn't inf") == "inf")
    }

    @Test func signalsHangsAndRawErrorsFail() {
        #expect(OutcomeJudge.judge(outcome(4, signalled: true), input: file) != .clearError)
        #expect(OutcomeJudge.judge(outcome(0, timedOut: true), input: file) != .cleanSuccess)
        let raw = "Error: \(file):3: The operation could not be completed. (NSCocoaErrorDomain error 256.)"
        if case .failure = OutcomeJudge.judge(outcome(1, err: raw), input: file) {} else { Issue.record("raw Foundation error passed") }
    }

    @Test func anErrorMustNameTheFileAndALineOrField() {
        #expect(OutcomeJudge.judge(outcome(1, err: "Error: \(file):16: cluster.nodes: expected …"), input: file) == .clearError)
        #expect(OutcomeJudge.judge(outcome(1, err: "Error: \(file): run.node_mtbf_hours: expected …"), input: file) == .clearError)
        for unclear in ["Error: something went wrong", "Error: \(file) is bad", "Error: other.yaml:3: x: y"] {
            if case .failure = OutcomeJudge.judge(outcome(1, err: unclear), input: file) {} else { Issue.record("passed: \(unclear)") }
        }
    }
}

@Suite struct YAMLMutatorTests {
    let text = """
    name: demo
    cluster: {gpu: A800, nodes: 24}
    stages:
      - name: a
        tokens: 245.37B
        model: {layers: 2, hidden: 64}
    """

    @Test func sitesCoverEveryScalarAndContainer() throws {
        let sites = try YAMLMutator.sites(of: text)
        #expect(sites.contains { $0.dotted == "cluster.nodes" && $0.isNumeric })
        #expect(sites.contains { $0.dotted == "stages[0].tokens" && $0.isNumeric })
        #expect(sites.contains { $0.dotted == "stages[0].model" && $0.scalar == nil })
        #expect(!sites.contains { $0.dotted == "name" && $0.isNumeric })
    }

    @Test func mutationsChangeExactlyTheTargetedPlace() throws {
        let replaced = String(decoding: try YAMLMutator.apply(.replace(path: [.key("stages"), .index(0), .key("tokens")], with: "1e30"), to: text), as: UTF8.self)
        #expect(replaced.contains("tokens: 1e30") && replaced.contains("nodes: 24"))
        let deleted = String(decoding: try YAMLMutator.apply(.delete(path: [.key("cluster"), .key("nodes")]), to: text), as: UTF8.self)
        #expect(!deleted.contains("nodes") && deleted.contains("gpu: A800"))
        let bytes = try YAMLMutator.apply(.insertBytes(offset: 3, bytes: [0xFF]), to: text)
        #expect(String(bytes: bytes, encoding: .utf8) == nil)
    }

    @Test func theSameSeedDrawsTheSameMutations() throws {
        let sites = try YAMLMutator.sites(of: text)
        func draws() -> [String] {
            var rng = Xoshiro256(seed: 18, stream: "test")
            return (0..<50).map { _ in YAMLMutator.draw(sites: sites, textLength: text.utf8.count, rng: &rng).description }
        }
        #expect(draws() == draws())
        #expect(Set(draws()).count > 20)
    }
}

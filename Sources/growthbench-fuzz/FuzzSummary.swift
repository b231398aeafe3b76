import Foundation
import Fuzzing

/// Counts per input family and the failures, as text and JSON.
struct FuzzSummary {
    struct Row: Codable { var family: String; var inputs = 0; var commands = 0; var cleanSuccesses = 0; var clearErrors = 0; var failures = 0 }
    struct Failure: Codable { var family: String; var index: Int; var base: String; var mutation: String; var command: String; var reason: String; var output: String }
    var rows: [Row] = []
    var failureList: [Failure] = []
    /// Every outcome, for reading what the tool said (summary.json).
    var outcomes: [Failure] = []
    var seconds: Double

    init(results: [CaseResult], seconds: Double) {
        self.seconds = seconds
        for family in FuzzCase.Family.allCases {
            var row = Row(family: family.rawValue)
            for r in results where r.fuzzCase.family == family {
                row.inputs += 1
                for v in r.verdicts {
                    row.commands += 1
                    let verdictName: String = switch v.verdict {
                    case .cleanSuccess: "exit 0"
                    case .clearError: "clear error"
                    case .failure(let why): "FAIL: " + why
                    }
                    outcomes.append(Failure(family: family.rawValue, index: r.fuzzCase.index, base: r.fuzzCase.base,
                                            mutation: r.fuzzCase.mutation, command: v.command, reason: verdictName, output: v.excerpt))
                    switch v.verdict {
                    case .cleanSuccess: row.cleanSuccesses += 1
                    case .clearError: row.clearErrors += 1
                    case .failure(let why):
                        row.failures += 1
                        failureList.append(Failure(family: family.rawValue, index: r.fuzzCase.index, base: r.fuzzCase.base,
                                                   mutation: r.fuzzCase.mutation, command: v.command, reason: why, output: v.excerpt))
                    }
                }
            }
            rows.append(row)
        }
    }

    var failures: Int { rows.map(\.failures).reduce(0, +) }

    func renderText() -> String {
        var lines = ["Fuzz suite (issue 18): every command on mutated shipped inputs; outcome = exit 0 with finite numbers, or an error naming the file and line/field",
                     "family              inputs  commands  clean exit 0  clear errors  failures"]
        for r in rows + [total] {
            lines.append(r.family.padding(toLength: 18, withPad: " ", startingAt: 0)
                + String(format: "  %6d  %8d  %12d  %12d  %8d", r.inputs, r.commands, r.cleanSuccesses, r.clearErrors, r.failures))
        }
        lines.append(String(format: "%.0f s", seconds))
        for f in failureList.prefix(60) {
            lines.append("FAIL \(f.family) #\(f.index) (\(f.base): \(f.mutation))\n     \(f.command)\n     \(f.reason)\n     \(f.output)")
        }
        if failureList.count > 60 { lines.append("… and \(failureList.count - 60) more (summary.json)") }
        lines.append(failures == 0 ? "PASS: 0 crashes, 0 hangs, 0 non-finite outputs, 0 unclear errors" : "FAIL: \(failures) command outcomes broke the contract")
        return lines.joined(separator: "\n")
    }

    var total: Row {
        var t = Row(family: "total")
        for r in rows { t.inputs += r.inputs; t.commands += r.commands; t.cleanSuccesses += r.cleanSuccesses; t.clearErrors += r.clearErrors; t.failures += r.failures }
        return t
    }

    func json() throws -> String {
        struct Doc: Codable { var rows: [Fuzz.Row]; var failures: [Fuzz.Failure]; var seconds: Double; var outcomes: [Fuzz.Failure] }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try enc.encode(Doc(rows: rows + [total], failures: failureList, seconds: seconds, outcomes: outcomes)), as: UTF8.self)
    }
}
typealias Fuzz = FuzzSummary

import Foundation

/// What one command did with one input.
public struct CommandOutcome: Sendable {
    public var status: Int32
    public var signalled: Bool
    public var timedOut: Bool
    public var stdout: String
    public var stderr: String
    public init(status: Int32, signalled: Bool, timedOut: Bool, stdout: String, stderr: String) {
        self.status = status; self.signalled = signalled; self.timedOut = timedOut; self.stdout = stdout; self.stderr = stderr
    }
}

/// The issue-18 contract for any input: exit 0 with only finite numbers printed, or a non-zero exit with an error
/// that names the file and where in it (a line or a field). A signal, a trap, a hang, a raw Foundation error or
/// "inf"/"nan" in the output is a failure.
public enum OutcomeJudge {
    public enum Verdict: Sendable, Equatable {
        case cleanSuccess
        case clearError
        case failure(String)
    }

    /// Words of a raw error that reached the user (a Foundation domain, a Swift runtime trap).
    static let rawErrorMarkers = ["NSCocoaErrorDomain", "Error Domain=", "Fatal error", "The operation could not be completed",
                                  "couldn’t be completed", "Stack dump", "SQLite error"]

    /// - Parameter inputs: the case's files; a clear error names one of them (the first is the mutated one).
    public static func judge(_ o: CommandOutcome, inputs: [String], requireLocation: Bool = true) -> Verdict {
        if o.timedOut { return .failure("did not finish in time") }
        if o.signalled { return .failure("killed by signal \(o.status)") }
        if let token = nonFiniteToken(in: o.stdout + "\n" + o.stderr) {
            return .failure("printed a non-finite number ('\(token)')")
        }
        if o.status == 0 { return .cleanSuccess }
        for marker in rawErrorMarkers where o.stderr.contains(marker) {
            return .failure("exit \(o.status) with a raw error (\(marker)): \(firstLine(o.stderr))")
        }
        let named = inputs.contains { requireLocation ? namesLocation(o.stderr, file: $0) : o.stderr.contains($0) }
        guard named else {
            return .failure("exit \(o.status) without naming \(inputs.first ?? "the input")\(requireLocation ? " and a line or field" : ""): \(firstLine(o.stderr))")
        }
        return .clearError
    }

    public static func judge(_ o: CommandOutcome, input file: String, requireLocation: Bool = true) -> Verdict {
        judge(o, inputs: [file], requireLocation: requireLocation)
    }

    /// True when `text` contains `file:LINE` or `file: field:` (a configuration error's location).
    public static func namesLocation(_ text: String, file: String) -> Bool {
        var search = text[...]
        while let r = search.range(of: file) {
            let after = search[r.upperBound...]
            if after.first == ":" {
                let rest = after.dropFirst()
                if rest.first?.isNumber == true { return true }
                // "file: field: message" — a field path then a colon, before the end of the line.
                let line = rest.prefix { $0 != "\n" }.drop { $0 == " " }
                let token = line.prefix { !$0.isWhitespace }
                if token.count > 1, token.last == ":" { return true }
            }
            search = search[r.upperBound...]
        }
        return false
    }

    /// The first "inf", "nan", "infinity" (any case, any sign) standing as a word outside single quotes — quoted
    /// text echoes the user's input ("found '.nan'"), which is fine to repeat.
    public static func nonFiniteToken(in text: String) -> String? {
        var unquoted = ""
        var inQuote = false
        let chars = Array(text)
        for (i, ch) in chars.enumerated() {
            // An apostrophe between letters ("isn't") is not a quote.
            let apostrophe = i > 0 && i + 1 < chars.count && chars[i - 1].isLetter && chars[i + 1].isLetter
            if ch == "'" && !apostrophe { inQuote.toggle(); unquoted.append(" "); continue }
            if ch == "\n" { inQuote = false }
            unquoted.append(inQuote ? " " : ch)
        }
        // Any case, but a lower-case letter after it makes a word ("information", "Infiniband"); an upper-case
        // one may be a unit suffix ("$infT").
        let pattern = #"(?<![A-Za-z_])[-+]?(?i:nan|inf|infinity)(?![a-z_])"#
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: unquoted, range: NSRange(unquoted.startIndex..., in: unquoted)),
              let r = Range(m.range, in: unquoted) else { return nil }
        return String(unquoted[r])
    }

    static func firstLine(_ s: String) -> String {
        let lines = s.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return String((lines.first(where: { $0.contains("problem") == false }) ?? lines.first ?? "(no message)").prefix(300))
    }
}

import Foundation
import Yams

/// Reads typed fields from one YAML mapping, recording a `ConfigError` (file, line, dotted field path,
/// what was expected) for every missing, mistyped or unknown key.
public final class MappingReader {
    public let node: Node
    public let path: String
    public let document: ConfigDocument
    private let mapping: Node.Mapping
    private var consumed: Set<String> = []

    /// Nil (with an error recorded) when `node` is not a mapping.
    public init?(node: Node, path: String, document: ConfigDocument) {
        self.node = node
        self.path = path
        self.document = document
        guard let m = node.mapping else {
            document.report(node, path, "expected a mapping of key: value pairs, found \(Self.describe(node))")
            return nil
        }
        mapping = m
    }

    public func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func has(_ key: String) -> Bool { mapping[key] != nil }

    /// The raw node for `key`, marking the key as known.
    public func node(_ key: String) -> Node? {
        consumed.insert(key)
        return mapping[key]
    }

    /// Marks keys as known without reading them: sections another reader of the same file validates (a growth
    /// schedule is read by the scenario loader and by the trainer, each for its own sections).
    public func accept(_ keys: [String]) { consumed.formUnion(keys) }

    /// Records an error about `key` (at its line when present, else at this mapping's line).
    public func report(_ key: String, _ message: String) {
        document.report(mapping[key] ?? node, field(key), message)
    }

    // MARK: typed scalars

    /// A required value: records "missing" when absent.
    public func required<T>(_ key: String, _ kind: String, _ parse: (Node) -> T?) -> T? {
        guard let n = node(key) else {
            document.report(node, field(key), "missing required field (expected \(kind))")
            return nil
        }
        guard let v = parse(n) else {
            document.report(n, field(key), "expected \(kind), found \(Self.describe(n))")
            return nil
        }
        return v
    }

    /// An optional value: nil when absent; records an error when present but malformed.
    public func optional<T>(_ key: String, _ kind: String, _ parse: (Node) -> T?) -> T? {
        guard let n = node(key) else { return nil }
        guard let v = parse(n) else {
            document.report(n, field(key), "expected \(kind), found \(Self.describe(n))")
            return nil
        }
        return v
    }

    public func int(_ key: String) -> Int? { required(key, "an integer", Parse.int) }
    public func int(_ key: String, default d: Int) -> Int { optional(key, "an integer", Parse.int) ?? d }
    public func optionalInt(_ key: String) -> Int? { optional(key, "an integer", Parse.int) }

    public func double(_ key: String) -> Double? { required(key, "a number", Parse.double) }
    public func double(_ key: String, default d: Double) -> Double { optional(key, "a number", Parse.double) ?? d }
    public func optionalDouble(_ key: String) -> Double? { optional(key, "a number", Parse.double) }

    /// A count such as 245.37e9, 245.37B, 2T, 4.6M or 2,304 (K, M, B/G, T suffixes).
    public func quantity(_ key: String) -> Double? {
        required(key, "a number (suffixes K, M, B, T allowed, e.g. 245.37B)", Parse.quantity)
    }
    public func optionalQuantity(_ key: String) -> Double? {
        optional(key, "a number (suffixes K, M, B, T allowed, e.g. 245.37B)", Parse.quantity)
    }

    public func string(_ key: String) -> String? { required(key, "a string", Parse.string) }
    public func string(_ key: String, default d: String) -> String { optional(key, "a string", Parse.string) ?? d }
    public func optionalString(_ key: String) -> String? { optional(key, "a string", Parse.string) }

    public func bool(_ key: String) -> Bool? { required(key, "true or false", Parse.bool) }
    public func bool(_ key: String, default d: Bool) -> Bool { optional(key, "true or false", Parse.bool) ?? d }
    public func optionalBool(_ key: String) -> Bool? { optional(key, "true or false", Parse.bool) }

    private static func choices<E: RawRepresentable & CaseIterable>(_: E.Type) -> String where E.RawValue == String {
        "one of " + E.allCases.map(\.rawValue).joined(separator: ", ")
    }
    public func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) -> E? where E.RawValue == String {
        required(key, Self.choices(type)) { $0.scalar.flatMap { E(rawValue: $0.string.lowercased()) } }
    }
    public func choice<E: RawRepresentable & CaseIterable>(_ key: String, default d: E) -> E where E.RawValue == String {
        optional(key, Self.choices(E.self)) { $0.scalar.flatMap { E(rawValue: $0.string.lowercased()) } } ?? d
    }
    public func optionalChoice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) -> E? where E.RawValue == String {
        optional(key, Self.choices(type)) { $0.scalar.flatMap { E(rawValue: $0.string.lowercased()) } }
    }

    // MARK: numbers with a physically meaningful range

    /// `value` when it lies in `range`; otherwise records "expected <what> between lo and hi, found v" and
    /// returns nil. Every number a model multiplies or converts to an integer is read through one of these,
    /// so no later product overflows and no later formula sees 1e308 (issue 18).
    public func checked<T: Comparable>(_ key: String, _ value: T?, _ range: ClosedRange<T>, _ what: String) -> T? {
        guard let value else { return nil }
        guard range.contains(value) else {
            report(key, "expected \(what) between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound)), found \(Self.format(value))")
            return nil
        }
        return value
    }

    public func int(_ key: String, in range: ClosedRange<Int>, _ what: String) -> Int? { checked(key, int(key), range, what) }
    public func int(_ key: String, in range: ClosedRange<Int>, _ what: String, default d: Int) -> Int {
        checked(key, optionalInt(key), range, what) ?? d
    }
    public func optionalInt(_ key: String, in range: ClosedRange<Int>, _ what: String) -> Int? {
        checked(key, optionalInt(key), range, what)
    }
    public func double(_ key: String, in range: ClosedRange<Double>, _ what: String) -> Double? {
        checked(key, double(key), range, what)
    }
    public func double(_ key: String, in range: ClosedRange<Double>, _ what: String, default d: Double) -> Double {
        checked(key, optionalDouble(key), range, what) ?? d
    }
    public func optionalDouble(_ key: String, in range: ClosedRange<Double>, _ what: String) -> Double? {
        checked(key, optionalDouble(key), range, what)
    }
    public func quantity(_ key: String, in range: ClosedRange<Double>, _ what: String) -> Double? {
        checked(key, quantity(key), range, what)
    }
    public func optionalQuantity(_ key: String, in range: ClosedRange<Double>, _ what: String) -> Double? {
        checked(key, optionalQuantity(key), range, what)
    }

    /// A number as a message prints it: integers in full up to 10^15, others in %g.
    public static func format<T>(_ value: T) -> String {
        if let i = value as? Int { return String(i) }
        if let d = value as? Double {
            if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
            return String(format: "%g", d)
        }
        return "\(value)"
    }

    /// A name used as a folder or file name under `out/` (a run, a stage, a sweep): letters, digits and
    /// `- _ . + ×`, starting with a letter or digit, at most 120 characters — so `name: ../../x` cannot write elsewhere.
    public func fileName(_ key: String) -> String? {
        guard let name = string(key) else { return nil }
        guard Self.isSafeFileName(name) else {
            report(key, "expected a name of letters, digits, '-', '_', '.' or '+' starting with a letter or digit, at most 120 characters (it names folders under out/), found '\(Self.excerpt(name))'")
            return nil
        }
        return name
    }

    public static func isSafeFileName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, CharacterSet.alphanumerics.contains(first) else { return false }
        return s.count <= 120 && s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_.+×".unicodeScalars.contains($0) }
    }

    /// At most 60 characters of a user's text, for messages (a 50 MB line is not echoed).
    public static func excerpt(_ s: String) -> String { s.count <= 60 ? s : String(s.prefix(57)) + "…" }

    // MARK: nested structures

    public func mapping(_ key: String) -> MappingReader? {
        guard let n = node(key) else {
            document.report(node, field(key), "missing required section (expected a mapping)")
            return nil
        }
        return MappingReader(node: n, path: field(key), document: document)
    }

    public func optionalMapping(_ key: String) -> MappingReader? {
        guard let n = node(key) else { return nil }
        return MappingReader(node: n, path: field(key), document: document)
    }

    /// The items of a required sequence of mappings.
    public func mappings(_ key: String) -> [MappingReader] {
        guard let n = node(key) else {
            document.report(node, field(key), "missing required list")
            return []
        }
        guard let seq = n.sequence else {
            document.report(n, field(key), "expected a list, found \(Self.describe(n))")
            return []
        }
        if seq.isEmpty { document.report(n, field(key), "expected at least one entry, found an empty list") }
        return seq.enumerated().compactMap { i, item in
            MappingReader(node: item, path: "\(field(key))[\(i)]", document: document)
        }
    }

    public func strings(_ key: String) -> [String]? {
        optional(key, "a list of strings") { n in
            n.sequence.flatMap { seq -> [String]? in
                let items = seq.compactMap { $0.scalar?.string }
                return items.count == seq.count ? items : nil
            }
        }
    }

    /// Records every key that no reader asked for. Call after reading all fields.
    public func rejectUnknownKeys() {
        for (k, _) in mapping {
            let key = k.string ?? "\(k)"
            if !consumed.contains(key) {
                let known = consumed.sorted().joined(separator: ", ")
                document.report(k, field(key), "unknown key (known keys here: \(known))")
            }
        }
    }

    static func describe(_ n: Node) -> String {
        switch n {
        case .scalar(let s): s.string.isEmpty ? "an empty value" : "'\(excerpt(s.string))'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

/// Scalar parsers shared by the readers.
public enum Parse {
    public static func int(_ n: Node) -> Int? {
        guard let s = n.scalar?.string.replacingOccurrences(of: "_", with: "") else { return nil }
        if let i = Int(s) { return i }
        // Accept integral values written in float notation (e.g. 4.608e6).
        if let d = Double(s), d.isFinite, d == d.rounded(), abs(d) < 9e15 { return Int(d) }
        return nil
    }

    public static func double(_ n: Node) -> Double? {
        guard let s = n.scalar?.string.replacingOccurrences(of: "_", with: ""), let d = Double(s), d.isFinite else { return nil }
        return d
    }

    public static func quantity(_ n: Node) -> Double? {
        guard var s = n.scalar?.string.trimmingCharacters(in: .whitespaces) else { return nil }
        s = s.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: ",", with: "")
        let multipliers: [Character: Double] = ["K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12]
        var scale = 1.0
        if let last = s.last, let m = multipliers[Character(last.uppercased())] {
            scale = m
            s.removeLast()
        }
        guard let d = Double(s.trimmingCharacters(in: .whitespaces)), d.isFinite else { return nil }
        return d * scale
    }

    public static func string(_ n: Node) -> String? { n.scalar?.string }

    public static func bool(_ n: Node) -> Bool? {
        switch n.scalar?.string.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }
}

import Foundation
import Yams
import SeededRandom

/// One step down a YAML tree: a mapping key or a list index.
public enum YAMLPathComponent: Sendable, Equatable, CustomStringConvertible {
    case key(String)
    case index(Int)
    public var description: String {
        switch self {
        case .key(let k): k
        case .index(let i): "[\(i)]"
        }
    }
}

/// A place in a YAML document where a mutation can land, and what sits there.
public struct YAMLSite: Sendable {
    public var path: [YAMLPathComponent]
    /// The scalar's text, nil for mappings and lists.
    public var scalar: String?
    public var isNumeric: Bool {
        guard let s = scalar?.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: ",", with: "") else { return false }
        if Double(s) != nil { return true }
        // Counts with a suffix (245.37B, 2K) as the readers accept them.
        if let last = s.last, "KMBGTkmbgt".contains(last) { return Double(s.dropLast()) != nil }
        return false
    }
    /// Dotted form, as the configuration errors print it (`stages[1].model.hidden`).
    public var dotted: String {
        path.enumerated().map { i, c in
            if case .key(let k) = c { return i == 0 ? k : ".\(k)" }
            return c.description
        }.joined()
    }
}

/// One change to a shipped file: how a careless or hostile user would break it.
public enum YAMLMutation: Sendable, CustomStringConvertible {
    /// Replace the value at `path` with YAML text (a hostile number, a wrong type, a bad name).
    case replace(path: [YAMLPathComponent], with: String)
    /// Remove the key at `path`.
    case delete(path: [YAMLPathComponent])
    /// Add an unknown key to the mapping at `path`.
    case addUnknownKey(path: [YAMLPathComponent])
    /// Insert bytes that are not UTF-8 at a byte offset of the original text.
    case insertBytes(offset: Int, bytes: [UInt8])

    public var description: String {
        func p(_ path: [YAMLPathComponent]) -> String { YAMLSite(path: path, scalar: nil).dotted }
        switch self {
        case let .replace(path, value): return "\(p(path)) = \(value)"
        case let .delete(path): return "delete \(p(path))"
        case let .addUnknownKey(path): return "unknown key in \(path.isEmpty ? "the top level" : p(path))"
        case let .insertBytes(offset, bytes): return "bytes \(bytes.map { String(format: "%02X", $0) }.joined(separator: " ")) at offset \(offset)"
        }
    }
}

public struct YAMLMutationError: Error, CustomStringConvertible {
    public var description: String
}

/// Every mutable place in a document and the mutated text of one mutation.
public enum YAMLMutator {
    /// All sites in document order (the root itself excluded).
    public static func sites(of text: String) throws -> [YAMLSite] {
        guard let root = try Yams.compose(yaml: text) else { return [] }
        var out: [YAMLSite] = []
        func walk(_ node: Node, _ path: [YAMLPathComponent]) {
            switch node {
            case .scalar(let s):
                if !path.isEmpty { out.append(YAMLSite(path: path, scalar: s.string)) }
            case .mapping(let m):
                if !path.isEmpty { out.append(YAMLSite(path: path, scalar: nil)) }
                for (k, v) in m { walk(v, path + [.key(k.string ?? "\(k)")]) }
            case .sequence(let seq):
                if !path.isEmpty { out.append(YAMLSite(path: path, scalar: nil)) }
                for (i, v) in seq.enumerated() { walk(v, path + [.index(i)]) }
            case .alias:
                break
            }
        }
        walk(root, [])
        return out
    }

    /// The bytes of `text` after `mutation` (re-serialised YAML, so comments are dropped).
    public static func apply(_ mutation: YAMLMutation, to text: String) throws -> [UInt8] {
        if case let .insertBytes(offset, bytes) = mutation {
            var b = Array(text.utf8)
            b.insert(contentsOf: bytes, at: min(max(0, offset), b.count))
            return b
        }
        guard let root = try Yams.compose(yaml: text) else { throw YAMLMutationError(description: "empty document") }
        let changed: Node?
        switch mutation {
        case let .replace(path, value):
            guard let replacement = try Yams.compose(yaml: value) ?? Optional(Node("")) else { throw YAMLMutationError(description: "bad value") }
            changed = try rewrite(root, path[...]) { _ in replacement }
        case let .delete(path):
            changed = try rewrite(root, path[...]) { _ in nil }
        case let .addUnknownKey(path):
            changed = try rewrite(root, path[...]) { node in
                guard case .mapping(var m) = node else { return node }
                m[Node("not_a_field")] = Node("1")
                return .mapping(m)
            }
        case .insertBytes:
            fatalError("handled above")
        }
        guard let changed else { return [] }
        return Array(try Yams.serialize(node: changed).utf8)
    }

    /// Rebuilds `node` with the node at `path` passed through `change` (nil deletes it from its parent).
    private static func rewrite(_ node: Node, _ path: ArraySlice<YAMLPathComponent>, _ change: (Node) -> Node?) throws -> Node? {
        guard let first = path.first else { return change(node) }
        let rest = path.dropFirst()
        switch (node, first) {
        case let (.mapping(m), .key(key)):
            var pairs: [(Node, Node)] = []
            for (k, v) in m {
                if (k.string ?? "\(k)") == key {
                    if let nv = try rewrite(v, rest, change) { pairs.append((k, nv)) }
                } else {
                    pairs.append((k, v))
                }
            }
            return .mapping(Node.Mapping(pairs, m.tag, .block, m.mark))
        case let (.sequence(seq), .index(i)):
            var items = Array(seq)
            guard items.indices.contains(i) else { throw YAMLMutationError(description: "no item \(i)") }
            if let nv = try rewrite(items[i], rest, change) { items[i] = nv } else { items.remove(at: i) }
            return .sequence(Node.Sequence(items, seq.tag, .block, seq.mark))
        default:
            throw YAMLMutationError(description: "path \(path) does not match the document")
        }
    }

    /// A deterministic mutation of a document with these sites, drawn from `rng`. Numbers mostly get hostile
    /// numbers; any site may get a wrong type or be deleted; `name` fields get path-escaping names.
    public static func draw(sites: [YAMLSite], textLength: Int, rng: inout Xoshiro256) -> YAMLMutation {
        func pick<T>(_ xs: [T]) -> T { xs[rng.nextInt(below: xs.count)] }
        // Names look numeric ("101B") but are names: they get path-escaping names, not numbers.
        let numeric = sites.filter { $0.isNumeric && $0.path.last != .key("name") }
        let names = sites.filter { $0.path.last == .key("name") && $0.scalar != nil }
        let mappings = sites.filter { $0.scalar == nil }
        let roll = rng.nextInt(below: 100)
        switch roll {
        case 0..<55 where !numeric.isEmpty:
            return .replace(path: pick(numeric).path, with: pick(HostileValue.numbers))
        case 55..<70:
            return .replace(path: pick(sites).path, with: pick(HostileValue.wrongTypes))
        case 70..<82:
            return .delete(path: pick(sites).path)
        case 82..<87 where !names.isEmpty:
            return .replace(path: pick(names).path, with: "'\(pick(HostileValue.names))'")
        case 87..<92 where !mappings.isEmpty:
            return .addUnknownKey(path: pick(mappings).path)
        case 92..<100:
            return .insertBytes(offset: rng.nextInt(below: max(1, textLength)), bytes: pick(HostileValue.invalidUTF8))
        default:
            return .replace(path: pick(sites).path, with: pick(HostileValue.numbers))
        }
    }
}

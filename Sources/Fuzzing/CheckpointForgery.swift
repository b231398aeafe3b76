import Foundation
import SeededRandom
import Training

/// Forged and damaged checkpoints (issue 18): a header field set to a hostile JSON value with the checksum
/// recomputed (a file that passes the CRC and must still be refused by its contents), the same with a stale
/// checksum, a truncation, or one flipped bit.
public enum CheckpointForgery: Sendable, CustomStringConvertible {
    case headerField(path: [String], json: String, fixChecksum: Bool)
    case truncate(keep: Int)
    case flipBit(offset: Int, bit: Int)

    public static let hostileJSON: [String] = [
        "-5", "0", "-1", "1e15", "1e308", "-1e308", "4611686018427387904", "9223372036854775807", "2147483648",
        "0.5", "\"x\"", "null", "[]", "{}", "\"NaN\"", "true",
    ]

    public var description: String {
        switch self {
        case let .headerField(path, json, fix): "header \(path.joined(separator: ".")) = \(json)\(fix ? " (checksum recomputed)" : " (stale checksum)")"
        case let .truncate(keep): "truncated to \(keep) bytes"
        case let .flipBit(offset, bit): "bit \(bit) of byte \(offset) flipped"
        }
    }

    /// Leaf paths of the header JSON (lists contribute their first item).
    public static func headerPaths(of checkpoint: [UInt8]) throws -> [[String]] {
        let header = try headerObject(checkpoint)
        var out: [[String]] = []
        func walk(_ v: Any, _ path: [String]) {
            if let d = v as? [String: Any] {
                for k in d.keys.sorted() { walk(d[k]!, path + [k]) }
            } else if let a = v as? [Any] {
                if let first = a.first { walk(first, path + ["0"]) } else { out.append(path) }
            } else {
                out.append(path)
            }
        }
        walk(header, [])
        return out
    }

    public static func draw(paths: [[String]], size: Int, rng: inout Xoshiro256) -> CheckpointForgery {
        let roll = rng.nextInt(below: 100)
        if roll < 70 {
            // Half the forgeries hit the run state itself (step, tokens, parameterCount, stage, sampler…), which
            // the long history lists would otherwise drown out.
            let shallow = paths.filter { $0.count <= 2 && $0.first != "history" }
            let pool = roll < 35 && !shallow.isEmpty ? shallow : paths
            return .headerField(path: pool[rng.nextInt(below: pool.count)],
                                json: hostileJSON[rng.nextInt(below: hostileJSON.count)], fixChecksum: roll < 60)
        }
        if roll < 85 { return .truncate(keep: rng.nextInt(below: size)) }
        return .flipBit(offset: rng.nextInt(below: size), bit: rng.nextInt(below: 8))
    }

    public func apply(to checkpoint: [UInt8]) throws -> [UInt8] {
        switch self {
        case let .truncate(keep):
            return Array(checkpoint.prefix(keep))
        case let .flipBit(offset, bit):
            var b = checkpoint
            b[offset] ^= UInt8(1 << bit)
            return b
        case let .headerField(path, json, fix):
            let length = Self.headerLength(checkpoint)
            var header = try Self.headerObject(checkpoint)
            header = Self.set(header, path[...], "__HOSTILE__")
            var text = String(decoding: try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]), as: UTF8.self)
            text = text.replacingOccurrences(of: "\"__HOSTILE__\"", with: json)
            let newHeader = Array(text.utf8)
            var out = Array(checkpoint[0..<12])
            withUnsafeBytes(of: UInt32(newHeader.count).littleEndian) { out += $0 }
            out += newHeader
            out += checkpoint[(16 + length)..<(checkpoint.count - 4)]
            let crc = fix ? out.withUnsafeBytes { CRC32.checksum($0) } : Self.readLE(checkpoint, checkpoint.count - 4)
            withUnsafeBytes(of: crc.littleEndian) { out += $0 }
            return out
        }
    }

    private static func readLE(_ b: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(b[at + $1]) << (8 * $1) }
    }
    private static func headerLength(_ b: [UInt8]) -> Int { Int(readLE(b, 12)) }
    private static func headerObject(_ b: [UInt8]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(b[16..<(16 + headerLength(b))]))
    }
    private static func set(_ value: Any, _ path: ArraySlice<String>, _ new: Any) -> Any {
        guard let key = path.first else { return new }
        if var d = value as? [String: Any], let child = d[key] {
            d[key] = set(child, path.dropFirst(), new)
            return d
        }
        if var a = value as? [Any], let i = Int(key), a.indices.contains(i) {
            a[i] = set(a[i], path.dropFirst(), new)
            return a
        }
        return value
    }
}

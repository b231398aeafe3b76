import Foundation
import Corpus
import MiniGPT
import ModelKit

/// Problems reading or writing a checkpoint, each naming the file and what was wrong.
public struct CheckpointError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The run state a checkpoint holds besides the three Float32 arrays.
public struct CheckpointHeader: Codable, Sendable, Equatable {
    public var formatVersion: Int
    /// Fingerprint of the config that wrote it (resuming with a different config is refused).
    public var configFingerprint: String
    public var configName: String
    /// Completed optimizer steps (and AdamW's bias-correction step).
    public var step: Int
    public var tokens: Double
    public var sampler: SamplerState
    public var parameterCount: Int
    public var tensorNames: [String]
    public var history: TrainingHistory
    /// The results-database run that wrote it (marked as resumed by the next run).
    public var runId: Int64?
    /// Growth schedules: the stage, the model's shape and the mask in force at `step` (nil in plain runs and in
    /// checkpoints written before growth existed). A resume rebuilds them from the plan and checks they agree.
    public var stage: Int? = nil
    public var shape: ModelArchitecture? = nil
    public var mask: GrowthMask? = nil

    /// "name: expected …, found …" for the first field whose value no writer produces, or nil.
    var problem: String? {
        if formatVersion != Checkpoint.formatVersion { return "formatVersion: expected \(Checkpoint.formatVersion), found \(formatVersion)" }
        if step < 0 { return "step: expected a completed step count ≥ 0, found \(step)" }
        if !(tokens.isFinite && tokens >= 0) { return "tokens: expected a finite count ≥ 0, found \(tokens)" }
        if let stage, stage < 0 { return "stage: expected a stage index ≥ 0, found \(stage)" }
        if tensorNames.isEmpty { return "tensorNames: expected the model's tensor names, found none" }
        if let bad = history.steps.first(where: { $0.step < 1 || $0.step > step }) {
            return "history.steps: expected steps 1…\(step), found step \(bad.step)"
        }
        return nil
    }
}

/// Versioned binary checkpoint:
///
///     offset 0   "GBCKPT\r\n"   magic (8 bytes; the CR/LF catches text-mode transfers)
///     8          UInt32 LE      format version (1)
///     12         UInt32 LE      header length H
///     16         H bytes        header, JSON (`CheckpointHeader`)
///     16 + H     4·P bytes      parameters, Float32 LE
///                4·P bytes      AdamW first moment
///                4·P bytes      AdamW second moment
///     end − 4    UInt32 LE      CRC-32 of every preceding byte
///
/// Written to a temporary file in the same folder, flushed with fsync, then renamed over the target (rename is
/// atomic on POSIX), so a crash leaves either the old or the new checkpoint, never a partial one.
public enum Checkpoint {
    public static let magic: [UInt8] = Array("GBCKPT\r\n".utf8)
    public static let formatVersion = 1
    /// Parameters, AdamW first moment, AdamW second moment.
    public static let arrayCount = 3

    public static func write(path: String, header: CheckpointHeader, arrays: [UnsafeBufferPointer<Float>]) throws {
        precondition(arrays.count == arrayCount && arrays.allSatisfy { $0.count == header.parameterCount })
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let json = try enc.encode(header)
        var data = Data()
        data.reserveCapacity(16 + json.count + arrays.count * header.parameterCount * 4 + 4)
        data.append(contentsOf: magic)
        appendLE(&data, UInt32(formatVersion))
        appendLE(&data, UInt32(json.count))
        data.append(json)
        for a in arrays { data.append(UnsafeBufferPointer(start: UnsafeRawPointer(a.baseAddress!).assumingMemoryBound(to: UInt8.self), count: a.count * 4)) }
        let crc = data.withUnsafeBytes { CRC32.checksum($0) }
        appendLE(&data, crc)

        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        removeStaleTemporaries(of: path)
        let temp = temporaryPath(of: path, pid: getpid())
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CheckpointError("\(temp): cannot create the checkpoint file (\(String(cString: strerror(errno))))") }
        var ok = true
        data.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + off, raw.count - off)
                if n <= 0 { ok = false; break }
                off += n
            }
        }
        if fsync(fd) != 0 { ok = false }
        close(fd)
        guard ok else {
            unlink(temp)
            throw CheckpointError("\(temp): writing the checkpoint failed (\(String(cString: strerror(errno))))")
        }
        guard rename(temp, path) == 0 else {
            unlink(temp)
            throw CheckpointError("\(path): cannot move the new checkpoint into place (\(String(cString: strerror(errno))))")
        }
        // Make the rename itself durable.
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    /// Reads and verifies a checkpoint; `arrays` receive parameters, first and second moments (each of the
    /// header's parameter count). Refuses truncated, corrupted, foreign or newer-format files.
    public static func read(path: String, into arrays: [UnsafeMutableBufferPointer<Float>]) throws -> CheckpointHeader {
        try read(path: path) { _ in arrays }
    }

    /// As `read(path:into:)`, with the destination arrays chosen once the verified header is known (a growth
    /// schedule's checkpoint says which shape to build before its parameters can be read).
    public static func read(path: String, arrays destination: (CheckpointHeader) throws -> [UnsafeMutableBufferPointer<Float>]) throws -> CheckpointHeader {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckpointError("\(path): cannot read the checkpoint (missing or unreadable)")
        }
        guard data.count >= 20 else {
            throw CheckpointError("\(path): checkpoint is truncated: \(data.count) bytes, expected at least 20 (magic, version, header length, checksum)")
        }
        guard Array(data.prefix(8)) == magic else {
            throw CheckpointError("\(path): not a GrowthBench checkpoint (expected the magic bytes GBCKPT\\r\\n at offset 0)")
        }
        let version = readLE(data, at: 8)
        guard version == UInt32(formatVersion) else {
            throw CheckpointError("\(path): checkpoint format version \(version) is not supported (this build reads version \(formatVersion))")
        }
        let headerLength = Int(readLE(data, at: 12))
        guard 16 + headerLength + 4 <= data.count else {
            throw CheckpointError("\(path): checkpoint is truncated: header of \(headerLength) bytes does not fit in \(data.count) bytes")
        }
        // Checksum before trusting anything else in the file: a damaged header is never decoded.
        let stored = readLE(data, at: data.count - 4)
        let computed = data.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(data.count - 4)])) }
        guard stored == computed else {
            throw CheckpointError("\(path): checkpoint is corrupted or truncated: checksum mismatch (stored \(hex(stored)), computed \(hex(computed)))")
        }
        let header: CheckpointHeader
        do {
            header = try JSONDecoder().decode(CheckpointHeader.self, from: data.subdata(in: 16..<(16 + headerLength)))
        } catch {
            throw CheckpointError("\(path): checkpoint header is not valid: \(Self.describe(error))")
        }
        // A header that passes the checksum can still be forged or written by a bug: check what it claims.
        let payload = data.count - 20 - headerLength
        guard header.parameterCount >= 0, header.parameterCount <= payload / (arrayCount * 4),
              arrayCount * header.parameterCount * 4 == payload else {
            throw CheckpointError("\(path): checkpoint header field parameterCount: expected \(payload / (arrayCount * 4)) (the file holds \(payload) bytes of arrays), found \(header.parameterCount)")
        }
        if let problem = header.problem {
            throw CheckpointError("\(path): checkpoint header field \(problem)")
        }
        let arrays = try destination(header)
        for a in arrays where a.count != header.parameterCount {
            throw CheckpointError("\(path): checkpoint holds \(header.parameterCount) parameters, the model has \(a.count)")
        }
        data.withUnsafeBytes { raw in
            var off = 16 + headerLength
            for a in arrays {
                UnsafeMutableRawBufferPointer(a).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[off..<(off + a.count * 4)]))
                off += a.count * 4
            }
        }
        return header
    }

    /// `<path>.tmp.<host>.<pid>`: the host keeps writers on other machines of a shared filesystem apart (a pid
    /// means nothing across machines).
    static func temporaryPath(of path: String, pid: pid_t) -> String {
        "\(path).tmp.\(ProcessInfo.processInfo.hostName).\(pid)"
    }

    /// Deletes this machine's `<path>.tmp.<host>.<pid>` files left by writers that were killed mid-write (their
    /// process is gone); other machines' temporaries are never touched.
    static func removeStaleTemporaries(of path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        let prefix = (temporaryPath(of: path, pid: 0) as NSString).lastPathComponent.dropLast(1)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: (dir as NSString).appendingPathComponent(name))
            }
        }
    }

    /// A decoding error in a sentence (the field and what was wrong), not the Swift type dump.
    static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ c: DecodingError.Context) -> String {
            c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch e {
        case let .typeMismatch(_, c), let .valueNotFound(_, c), let .dataCorrupted(c):
            return path(c).isEmpty ? c.debugDescription : "field \(path(c)): \(c.debugDescription)"
        case let .keyNotFound(key, c):
            return "field \(path(c).isEmpty ? key.stringValue : path(c) + "." + key.stringValue): missing"
        @unknown default:
            return "\(error)"
        }
    }

    private static func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16, uppercase: true) }

    private static func appendLE(_ d: inout Data, _ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) }
    }

    private static func readLE(_ d: Data, at offset: Int) -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(d[d.startIndex + offset + i]) << (8 * i) }
        return v
    }
}

import Testing
import Foundation
import Corpus
@testable import Training

/// Issue 18: checkpoints whose header passes the checksum but lies (forged, or written by a bug) are refused by
/// the field that lies, before any array is sized from it; killed writers' temporaries are cleaned up.
@Suite struct HostileCheckpointTests {
    let suite = CheckpointTests()

    /// Rewrites one header field (JSON text) and recomputes the checksum, as a forger would.
    func forge(_ path: String, field: String, json: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = Int(data[12]) | Int(data[13]) << 8 | Int(data[14]) << 16 | Int(data[15]) << 24
        var header = try JSONSerialization.jsonObject(with: data.subdata(in: 16..<(16 + length))) as! [String: Any]
        header[field] = "__X__"
        let text = String(decoding: try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]), as: UTF8.self)
            .replacingOccurrences(of: "\"__X__\"", with: json)
        var out = Data(data.prefix(12))
        withUnsafeBytes(of: UInt32(text.utf8.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(Data(text.utf8))
        out.append(data.subdata(in: (16 + length)..<(data.count - 4)))
        let crc = out.withUnsafeBytes { CRC32.checksum($0) }
        withUnsafeBytes(of: crc.littleEndian) { out.append(contentsOf: $0) }
        try out.write(to: URL(fileURLWithPath: path))
    }

    @Test func aHugeParameterCountIsRefusedWithoutOverflow() throws {
        let path = temporaryDirectory("forged-count") + "/c.ckpt"
        _ = try suite.write(path)
        try forge(path, field: "parameterCount", json: "4611686018427387904")
        #expect { _ = try suite.read(path) } throws: { "\($0)".contains("\(path): checkpoint header field parameterCount: expected 100") }
    }

    @Test func aNegativeStepIsRefused() throws {
        let path = temporaryDirectory("forged-step") + "/c.ckpt"
        _ = try suite.write(path)
        try forge(path, field: "step", json: "-5")
        #expect { _ = try suite.read(path) } throws: { "\($0)".contains("header field step: expected a completed step count ≥ 0, found -5") }
    }

    @Test func aWrongTypeNamesTheField() throws {
        let path = temporaryDirectory("forged-type") + "/c.ckpt"
        _ = try suite.write(path)
        try forge(path, field: "tokens", json: "\"NaN\"")
        #expect { _ = try suite.read(path) } throws: { "\($0)".contains("header is not valid: field tokens") }
    }

    @Test func temporariesOfKilledWritersAreRemoved() throws {
        let dir = temporaryDirectory("stale-tmp"), path = dir + "/c.ckpt"
        // pid 2^22 + 1 is above Linux's default pid_max (4,194,304): no such process.
        let stale = Checkpoint.temporaryPath(of: path, pid: 4194305), live = Checkpoint.temporaryPath(of: path, pid: 1)
        let otherHost = "\(path).tmp.some-other-host.4194305"
        FileManager.default.createFile(atPath: otherHost, contents: Data([1]))
        FileManager.default.createFile(atPath: stale, contents: Data([1, 2, 3]))
        FileManager.default.createFile(atPath: live, contents: Data([1]))
        _ = try suite.write(path)
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: live), "pid 1 is alive: its temporary stays")
        #expect(FileManager.default.fileExists(atPath: otherHost), "another machine's temporary is not this machine's to judge")
    }
}

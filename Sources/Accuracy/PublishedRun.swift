import Foundation
import PaperReference

/// One row of `Data/validation/*.csv`: a published end-to-end training measurement with the configuration it ran
/// at, copied as published (see `Data/validation/README.md` for every column and the held-out rule).
public struct PublishedRun: Sendable, Equatable, Codable {
    public var id: String
    public var source: String
    public var table: String
    /// The source's commit and release, as the table gives it (`commit_or_version`).
    public var version: String
    public var model: String
    public var layers: Int
    public var hidden: Int
    public var heads: Int
    public var kvHeads: Int
    public var ffnHidden: Int
    /// nil where the source does not state the tokenizer.
    public var vocab: Int?
    public var sequenceLength: Int
    public var gpu: String
    public var gpus: Int
    public var gpusPerNode: Int?
    public var tensor: Int, pipeline: Int, context: Int, data: Int
    public var fsdp: Int?
    public var hsdpReplicas: Int?
    public var microBatch: Int?
    public var globalBatch: Int?
    public var checkpointing: String
    public var attentionKernel: String
    public var precision: String
    public var compile: String
    public var metric: String
    public var value: Double
    public var unit: String
    public var notes: String
    /// File and line the row came from.
    public var origin: String
}

public enum PublishedRunTableError: Error, CustomStringConvertible, Equatable {
    case malformed(file: String, line: Int, field: String, expected: String)
    case unreadable(String)

    public var description: String {
        switch self {
        case let .malformed(file, line, field, expected): "\(file):\(line): \(field): expected \(expected)"
        case let .unreadable(why): why
        }
    }
}

/// Reads the validation tables (every `.csv` of the folder but `models.csv`, which only documents the shapes).
public enum PublishedRunTable {
    static let required = ["id", "source", "commit_or_version", "table", "model", "layers", "hidden", "heads", "kv_heads", "ffn_hidden", "vocab",
                           "seq_length", "gpu", "gpus", "gpus_per_node", "tp", "pp", "cp", "dp", "fsdp", "hsdp_replicas",
                           "micro_batch", "global_batch", "activation_checkpointing", "attention_kernel", "precision",
                           "compile", "metric", "value", "unit", "notes"]

    public static func load(directory: String) throws -> [PublishedRun] {
        let files: [String]
        do { files = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw PublishedRunTableError.unreadable("\(directory): cannot list the validation folder (\(error.localizedDescription))")
        }
        var runs: [PublishedRun] = []
        for f in files.sorted() where f.hasSuffix(".csv") && f != "models.csv" {
            let path = (directory as NSString).appendingPathComponent(f)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw PublishedRunTableError.unreadable("\(path): cannot read it as UTF-8 text")
            }
            runs += try parse(text, file: path)
        }
        return runs
    }

    public static func parse(_ text: String, file: String) throws -> [PublishedRun] {
        var header: [String: Int]?
        var runs: [PublishedRun] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let number = index + 1
            if line.isEmpty { continue }
            let cells: [String]
            do { cells = try CSV.split(line, file: file, line: number) } catch {
                throw PublishedRunTableError.malformed(file: file, line: number, field: "row", expected: "CSV fields (\(error))")
            }
            guard let h = header else {
                let columns = Dictionary(cells.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
                if let missing = required.first(where: { columns[$0] == nil }) {
                    throw PublishedRunTableError.malformed(file: file, line: number, field: "header", expected: "a column '\(missing)'")
                }
                header = columns
                continue
            }
            guard cells.count == h.count else {
                throw PublishedRunTableError.malformed(file: file, line: number, field: "row", expected: "\(h.count) fields, found \(cells.count)")
            }
            func text(_ key: String) -> String { cells[h[key]!] }
            func optionalInt(_ key: String) throws -> Int? {
                let t = text(key)
                if t.isEmpty { return nil }
                guard let v = Int(t), v > 0 else {
                    throw PublishedRunTableError.malformed(file: file, line: number, field: key, expected: "a positive integer or empty, found '\(t)'")
                }
                return v
            }
            func int(_ key: String) throws -> Int {
                guard let v = try optionalInt(key) else {
                    throw PublishedRunTableError.malformed(file: file, line: number, field: key, expected: "a positive integer, found nothing")
                }
                return v
            }
            guard let value = Double(text("value")), value.isFinite, value > 0 else {
                throw PublishedRunTableError.malformed(file: file, line: number, field: "value", expected: "a positive number, found '\(text("value"))'")
            }
            runs.append(PublishedRun(
                id: text("id"), source: text("source"), table: text("table"), version: text("commit_or_version"), model: text("model"),
                layers: try int("layers"), hidden: try int("hidden"), heads: try int("heads"), kvHeads: try int("kv_heads"),
                ffnHidden: try int("ffn_hidden"), vocab: try optionalInt("vocab"), sequenceLength: try int("seq_length"),
                gpu: text("gpu"), gpus: try int("gpus"), gpusPerNode: try optionalInt("gpus_per_node"),
                tensor: try optionalInt("tp") ?? 1, pipeline: try optionalInt("pp") ?? 1, context: try optionalInt("cp") ?? 1,
                data: try int("dp"), fsdp: try optionalInt("fsdp"), hsdpReplicas: try optionalInt("hsdp_replicas"),
                microBatch: try optionalInt("micro_batch"), globalBatch: try optionalInt("global_batch"),
                checkpointing: text("activation_checkpointing"), attentionKernel: text("attention_kernel"),
                precision: text("precision"), compile: text("compile"), metric: text("metric"), value: value,
                unit: text("unit"), notes: text("notes"), origin: "\((file as NSString).lastPathComponent):\(number)"))
        }
        return runs
    }
}

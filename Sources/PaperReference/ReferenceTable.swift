import Foundation

/// One published figure with its source.
public struct ReferenceFigure: Sendable, Equatable, Codable {
    public var paper: String
    public var stage: String
    public var quantity: String
    public var value: Double
    /// Half-width of a published ± range, when the paper gives one.
    public var plusMinus: Double?
    public var unit: String
    public var source: String
    public var note: String
}

public enum ReferenceTableError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case malformed(file: String, line: Int, message: String)
    public var description: String {
        switch self {
        case let .unreadable(file, why): "\(file): cannot read the reference table (\(why))"
        case let .malformed(file, line, message): "\(file):\(line): \(message)"
        }
    }
}

/// Published figures from `Data/reference/*.csv`. Code reads them only to print "paper says X, model
/// says Y, Δ" and in tests; never to produce a prediction.
public struct ReferenceTable: Sendable {
    public var figures: [ReferenceFigure]
    public static let columns = ["paper", "stage", "quantity", "value", "plus_minus", "unit", "source", "note"]

    public init(figures: [ReferenceFigure]) { self.figures = figures }

    public func figure(paper: String, stage: String, quantity: String) -> ReferenceFigure? {
        figures.first {
            $0.paper.lowercased() == paper.lowercased() && $0.stage.lowercased() == stage.lowercased()
                && $0.quantity == quantity
        }
    }

    /// Loads every `.csv` file of a folder, in name order.
    public static func load(directory: String) throws -> ReferenceTable {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var all: [ReferenceFigure] = []
        for f in files.sorted() where f.hasSuffix(".csv") {
            all += try load(file: (directory as NSString).appendingPathComponent(f)).figures
        }
        return ReferenceTable(figures: all)
    }

    public static func load(file: String) throws -> ReferenceTable {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw ReferenceTableError.unreadable(file, error.localizedDescription)
        }
        return try parse(text, file: file)
    }

    public static func parse(_ text: String, file: String) throws -> ReferenceTable {
        var figures: [ReferenceFigure] = []
        var header: [String]?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = try CSV.split(line, file: file, line: index + 1)
            guard let h = header else {
                guard cells == columns else {
                    throw ReferenceTableError.malformed(file: file, line: index + 1,
                        message: "expected the header \(columns.joined(separator: ",")), found \(cells.joined(separator: ","))")
                }
                header = cells
                continue
            }
            guard cells.count == h.count else {
                throw ReferenceTableError.malformed(file: file, line: index + 1,
                    message: "expected \(h.count) columns, found \(cells.count)")
            }
            guard let value = Double(cells[3]) else {
                throw ReferenceTableError.malformed(file: file, line: index + 1, message: "value: expected a number, found '\(cells[3])'")
            }
            let pm: Double? = cells[4].isEmpty ? nil : Double(cells[4])
            if !cells[4].isEmpty && pm == nil {
                throw ReferenceTableError.malformed(file: file, line: index + 1, message: "plus_minus: expected a number or empty, found '\(cells[4])'")
            }
            guard !cells[6].isEmpty else {
                throw ReferenceTableError.malformed(file: file, line: index + 1, message: "source: every figure needs a source")
            }
            figures.append(ReferenceFigure(paper: cells[0], stage: cells[1], quantity: cells[2], value: value,
                                           plusMinus: pm, unit: cells[5], source: cells[6], note: cells[7]))
        }
        return ReferenceTable(figures: figures)
    }
}

/// Minimal RFC 4180 field splitting for one line (quoted fields may contain commas and doubled quotes).
public enum CSV {
    public static func split(_ line: String, file: String, line number: Int) throws -> [String] {
        var cells: [String] = []
        var current = ""
        var quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { current.append("\""); chars.removeFirst() } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" && current.isEmpty {
                quoted = true
            } else if c == "," {
                cells.append(current.trimmingCharacters(in: .whitespaces)); current = ""
            } else { current.append(c) }
        }
        if quoted { throw ReferenceTableError.malformed(file: file, line: number, message: "unterminated quoted field") }
        cells.append(current.trimmingCharacters(in: .whitespaces))
        return cells
    }
}

import Foundation
import Yams

/// A parsed YAML file plus the problems found while reading it. Readers record problems here instead of
/// throwing, so that one pass reports every bad field with its line.
public final class ConfigDocument {
    public let file: String
    public let root: Node
    public private(set) var errors: [ConfigError] = []

    public init(text: String, file: String) throws {
        self.file = file
        let parsed: Node?
        do {
            parsed = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigErrors([ConfigError(file: file, line: Self.line(of: error), field: "",
                                            message: "invalid YAML: \(Self.summary(of: error))")])
        }
        guard let parsed else {
            throw ConfigErrors([ConfigError(file: file, line: nil, field: "", message: "the file is empty")])
        }
        root = parsed
    }

    public convenience init(path: String) throws {
        try self.init(text: try Self.readText(path: path), file: path)
    }

    /// Largest configuration file accepted (the shipped ones are a few KB).
    public static let maximumBytes = 4 << 20

    /// The text of a configuration file, or an error that says what is wrong with it: missing, a folder,
    /// unreadable, too large, or not UTF-8 (with the line and column of the first bad byte).
    public static func readText(path: String) throws -> String {
        func fail(_ line: Int?, _ message: String) -> ConfigErrors {
            ConfigErrors([ConfigError(file: path, line: line, field: "", message: message)])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw fail(nil, "no such file")
        }
        if isDirectory.boolValue { throw fail(nil, "is a folder, expected a YAML file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail(nil, "cannot read the file (permission denied or not a regular file)")
        }
        if data.count > maximumBytes {
            throw fail(nil, "the file is \(data.count) bytes, expected a configuration file of at most \(maximumBytes) bytes")
        }
        if let text = String(data: data, encoding: .utf8) { return text }
        let (line, column, offset) = firstInvalidUTF8(Array(data))
        throw fail(line, "expected UTF-8 text, found an invalid byte 0x\(String(format: "%02X", data[data.startIndex + offset])) at line \(line), column \(column)")
    }

    /// Line and column (1-based) and byte offset of the first byte that does not start or continue a valid
    /// UTF-8 sequence.
    static func firstInvalidUTF8(_ b: [UInt8]) -> (line: Int, column: Int, offset: Int) {
        var i = 0, line = 1, column = 1
        while i < b.count {
            let c = b[i]
            let length = c < 0x80 ? 1 : c >> 5 == 0b110 ? 2 : c >> 4 == 0b1110 ? 3 : c >> 3 == 0b11110 ? 4 : 0
            var valid = length > 0 && i + length <= b.count
            if valid { for k in 1..<max(length, 1) where b[i + k] >> 6 != 0b10 { valid = false } }
            if valid, String(bytes: b[i..<(i + length)], encoding: .utf8) == nil { valid = false }
            if !valid { return (line, column, i) }
            if c == 0x0A { line += 1; column = 1 } else { column += 1 }
            i += length
        }
        return (line, column, max(0, b.count - 1))
    }

    /// The top-level mapping, or nil (with an error recorded) when the document is not a mapping.
    public func rootMapping() -> MappingReader? { MappingReader(node: root, path: "", document: self) }

    public func report(_ node: Node?, _ field: String, _ message: String) {
        errors.append(ConfigError(file: file, line: node?.mark?.line, field: field, message: message))
    }

    /// Throws every recorded problem, if any.
    public func throwIfErrors() throws {
        if !errors.isEmpty { throw ConfigErrors(errors) }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func summary(of error: YamlError) -> String {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let ctx = context.map { "\($0.text) " } ?? ""
            return "\(ctx)\(problem) (line \(mark.line), column \(mark.column))"
        default:
            return "\(error)"
        }
    }
}

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
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigErrors([ConfigError(file: path, line: nil, field: "",
                                            message: "cannot read the file (\(error.localizedDescription))")])
        }
        try self.init(text: text, file: path)
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

import Foundation

/// The last line of defence against "inf" and "nan" in a printed result (issue 18): the inputs' ranges and the
/// models' own checks should make them impossible, and this finds any that slip through, by field.
public enum FiniteCheck {
    /// The coding path (e.g. `stages[1].wallSeconds`) of the first non-finite number in `value`, or nil.
    /// Uses JSONEncoder, which refuses non-finite numbers and says where.
    public static func firstNonFinite<T: Encodable>(in value: T) -> String? {
        do {
            _ = try JSONEncoder().encode(value)
            return nil
        } catch let EncodingError.invalidValue(_, context) {
            return context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
                .replacingOccurrences(of: ".[", with: "[")
        } catch {
            return nil
        }
    }
}

/// A result that holds a non-finite number: the error names the input file and the result's field.
public struct NonFiniteResult: Error, CustomStringConvertible {
    public var file: String
    public var field: String
    public var description: String {
        "\(file): \(field): the model produced a number that is not finite from this file's values; check the run:, cluster: and stage fields it depends on (please report it: the input checks should have caught this)"
    }
    public init(file: String, field: String) { self.file = file; self.field = field }

    /// Throws when `value` holds a non-finite number.
    public static func check<T: Encodable>(_ value: T, file: String) throws {
        if let field = FiniteCheck.firstNonFinite(in: value) { throw NonFiniteResult(file: file, field: field) }
    }
}

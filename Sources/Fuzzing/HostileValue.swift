/// The values a hostile or careless user puts where a number belongs (issue 18): zero, negatives, the edges of
/// Double and Int, NaN spelled as YAML and as text, and integers one past Int32/Int64.
public enum HostileValue {
    /// Replacements for a numeric scalar, as YAML text.
    public static let numbers: [String] = [
        "0", "-1", "1e30", "-1e30", "1e-30", "1e308", "-1e308", "1e-300", ".nan", "NaN", ".inf", "-.inf",
        "9223372036854775807", "9223372036854775808", "18446744073709551616", "4294967296", "2147483648",
        "0.5", "1e10", "1e15", "-0", "3.7",
    ]
    /// Replacements of the wrong type for any scalar.
    public static let wrongTypes: [String] = ["[1, 2]", "{a: 1}", "abc", "''", "true", "~", "1e30x"]
    /// Names that would escape the output folder or are not file names.
    public static let names: [String] = ["../../x", "/etc/evil", "a/b", "..", ".", ""]
    /// Bytes that are not UTF-8.
    public static let invalidUTF8: [[UInt8]] = [[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0x80], [0xFE, 0xFF, 0x00]]
}

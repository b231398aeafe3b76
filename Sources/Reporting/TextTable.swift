/// A plain-text table: a header row, body rows, first column left-aligned, the rest right-aligned.
public struct TextTable {
    public var header: [String]
    public var rows: [[String]] = []
    public init(header: [String]) { self.header = header }

    public mutating func add(_ cells: [String]) { rows.append(cells) }
    public mutating func separator() { rows.append([]) }

    public func render() -> String {
        let columns = header.count
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < columns { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            (0..<columns).map { i in
                let c = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return i == 0 ? c + pad : pad + c
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map { $0.isEmpty ? rule : line($0) }).joined(separator: "\n")
    }
}

/// Number formatting shared by the text reports.
public enum Format {
    /// 1.234e10 → "12.34B"; uses K, M, B, T.
    public static func count(_ x: Double, digits: Int = 2) -> String {
        let a = abs(x)
        let (v, s): (Double, String) = a >= 1e12 ? (x / 1e12, "T") : a >= 1e9 ? (x / 1e9, "B")
            : a >= 1e6 ? (x / 1e6, "M") : a >= 1e3 ? (x / 1e3, "K") : (x, "")
        return fixed(v, digits) + s
    }

    public static func fixed(_ x: Double, _ digits: Int) -> String {
        // Never "inf" or a trap: a value no table should hold still prints, as "n/a" or in %e.
        guard x.isFinite else { return "n/a" }
        if abs(x) >= 1e15 { return String(format: "%.\(max(0, min(digits, 6)))e", x) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (abs(x) * scale).rounded() / scale
        let integer = Int(r)
        var frac = Int(((r - Double(integer)) * scale).rounded())
        var intPart = integer
        if Double(frac) >= scale { intPart += 1; frac = 0 }
        let sign = x < 0 && r != 0 ? "-" : ""
        if digits == 0 { return sign + String(intPart) }
        let fracString = String(frac)
        return sign + String(intPart) + "." + String(repeating: "0", count: digits - fracString.count) + fracString
    }

    public static func percent(_ x: Double, digits: Int = 1) -> String { fixed(100 * x, digits) + "%" }

    public static func signedPercent(_ x: Double, digits: Int = 1) -> String {
        (x >= 0 ? "+" : "") + percent(x, digits: digits)
    }

    public static func gib(_ bytes: Double) -> String { fixed(bytes / 1_073_741_824, 1) + " GiB" }

    public static func zetta(_ flops: Double) -> String { fixed(flops / 1e21, 2) }

    /// FLOPs in G with one decimal; below 0.1G (mini models) as a count, so they do not print as "0.0G".
    public static func giga(_ flops: Double) -> String { abs(flops) >= 1e8 ? fixed(flops / 1e9, 1) + "G" : count(flops) }

    /// Integer with thousands separators: 52006 → "52,006".
    public static func grouped(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}

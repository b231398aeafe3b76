/// Numerically stable softmax of one row, in place: row[0..<valid] ← softmax(row[0..<valid]) and
/// row[valid..<width] ← 0. Returns the row's maximum and the sum of exp(x − max) (cross-entropy needs both).
@inline(__always)
@discardableResult
func softmaxRow<Scalar: GPTScalar>(_ row: UnsafeMutablePointer<Scalar>, valid: Int, width: Int) -> (max: Scalar, sum: Scalar) {
    var m = row[0]
    for j in 1..<valid where row[j] > m { m = row[j] }
    for j in 0..<valid { row[j] -= m }
    Scalar.vexp(row, row, count: valid)
    var sum: Scalar = 0
    for j in 0..<valid { sum += row[j] }
    let inv = 1 / sum
    for j in 0..<valid { row[j] *= inv }
    for j in valid..<width { row[j] = 0 }
    return (m, sum)
}

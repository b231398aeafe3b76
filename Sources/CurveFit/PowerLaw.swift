import Foundation

/// y = a·x^b + c, the saturating power law µScaling fits to loss versus model size
/// (cofe-ai/Mu-scaling `fit_scale_loss_prediction.py`: L(N) = a·N^b + c).
public struct PowerLaw: Sendable, Equatable, Codable {
    public var a: Double
    public var b: Double
    public var c: Double

    public init(a: Double, b: Double, c: Double) { self.a = a; self.b = b; self.c = c }

    public func callAsFunction(_ x: Double) -> Double { a * pow(x, b) + c }

    public static let model = NonlinearModel(
        parameterCount: 3,
        value: { x, t in t[0] * pow(x, t[1]) + t[2] },
        gradient: { x, t in
            let xb = pow(x, t[1])
            return [xb, t[0] * xb * log(x), 1]
        })

    /// Fits a·x^b + c to positive xs. The default starting point is µScaling's p0 = [1, −1, 3].
    public static func fit(xs: [Double], ys: [Double], initial: PowerLaw = PowerLaw(a: 1, b: -1, c: 3))
        throws -> (law: PowerLaw, result: FitResult) {
        guard xs.allSatisfy({ $0 > 0 }) else { throw CurveFitError.invalidInput("power law needs x > 0") }
        let r = try CurveFit.fit(model, xs: xs, ys: ys, initial: [initial.a, initial.b, initial.c])
        return (PowerLaw(a: r.parameters[0], b: r.parameters[1], c: r.parameters[2]), r)
    }
}

@_implementationOnly import CGSL

/// Result of a nonlinear least-squares fit.
public struct FitResult: Sendable, Equatable {
    public var parameters: [Double]
    /// One standard error per parameter, from the covariance (JᵀJ)⁻¹ scaled by the residual variance.
    public var standardErrors: [Double]
    /// Sum of squared residuals at the solution.
    public var sumOfSquares: Double
    public var iterations: Int
    /// Covariance of the parameters, (JᵀJ)⁻¹ · SSR/(n − p) (row-major p × p); n − p = `degreesOfFreedom`.
    public var covariance: [[Double]] = []
    public var degreesOfFreedom: Int = 0
}

public enum CurveFitError: Error, CustomStringConvertible, Equatable {
    case tooFewPoints(needed: Int, got: Int)
    case invalidInput(String)
    case didNotConverge(String)

    public var description: String {
        switch self {
        case let .tooFewPoints(needed, got): "curve fit needs at least \(needed) points, got \(got)"
        case let .invalidInput(why): "curve fit input is invalid: \(why)"
        case let .didNotConverge(why): "curve fit did not converge: \(why)"
        }
    }
}

/// A model y = f(x; θ) with its Jacobian ∂f/∂θ, fitted by GSL's trust-region Levenberg–Marquardt
/// (`gsl_multifit_nlinear`, GSL manual §"Nonlinear Least-Squares Fitting").
public struct NonlinearModel: Sendable {
    public var parameterCount: Int
    public var value: @Sendable (_ x: Double, _ theta: [Double]) -> Double
    public var gradient: @Sendable (_ x: Double, _ theta: [Double]) -> [Double]

    public init(parameterCount: Int,
                value: @escaping @Sendable (Double, [Double]) -> Double,
                gradient: @escaping @Sendable (Double, [Double]) -> [Double]) {
        self.parameterCount = parameterCount
        self.value = value
        self.gradient = gradient
    }
}

/// Context handed to the C callbacks through GSL's `void *params`.
private final class FitContext {
    let model: NonlinearModel
    let xs: [Double]
    let ys: [Double]
    init(model: NonlinearModel, xs: [Double], ys: [Double]) { self.model = model; self.xs = xs; self.ys = ys }

    func theta(_ v: UnsafePointer<gsl_vector>) -> [Double] {
        (0..<model.parameterCount).map { gsl_vector_get(v, $0) }
    }
}

private func residuals(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
                       _ f: UnsafeMutablePointer<gsl_vector>?) -> Int32 {
    let ctx = Unmanaged<FitContext>.fromOpaque(params!).takeUnretainedValue()
    let theta = ctx.theta(x!)
    for i in 0..<ctx.xs.count {
        let r = ctx.model.value(ctx.xs[i], theta) - ctx.ys[i]
        if !r.isFinite { return Int32(GSL_EDOM) }
        gsl_vector_set(f, i, r)
    }
    return Int32(GSL_SUCCESS)
}

private func jacobian(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
                      _ j: UnsafeMutablePointer<gsl_matrix>?) -> Int32 {
    let ctx = Unmanaged<FitContext>.fromOpaque(params!).takeUnretainedValue()
    let theta = ctx.theta(x!)
    for i in 0..<ctx.xs.count {
        let g = ctx.model.gradient(ctx.xs[i], theta)
        for p in 0..<ctx.model.parameterCount { gsl_matrix_set(j, i, p, g[p]) }
    }
    return Int32(GSL_SUCCESS)
}

/// Fits `model` to the points (xs, ys) starting from `initial`.
public func fit(_ model: NonlinearModel, xs: [Double], ys: [Double], initial: [Double],
                maxIterations: Int = 500) throws -> FitResult {
    let n = xs.count, p = model.parameterCount
    guard xs.count == ys.count else { throw CurveFitError.invalidInput("\(xs.count) x values but \(ys.count) y values") }
    guard initial.count == p else { throw CurveFitError.invalidInput("\(initial.count) initial values for \(p) parameters") }
    guard n >= p else { throw CurveFitError.tooFewPoints(needed: p, got: n) }
    guard (xs + ys + initial).allSatisfy(\.isFinite) else { throw CurveFitError.invalidInput("non-finite value") }

    // GSL's default handler aborts the process; we report errors through return codes instead.
    gsl_set_error_handler_off()

    let ctx = FitContext(model: model, xs: xs, ys: ys)
    let opaque = Unmanaged.passRetained(ctx).toOpaque()
    defer { Unmanaged<FitContext>.fromOpaque(opaque).release() }

    var fdf = gsl_multifit_nlinear_fdf()
    fdf.f = residuals
    fdf.df = jacobian
    fdf.fvv = nil
    fdf.n = n
    fdf.p = p
    fdf.params = opaque

    var settings = gsl_multifit_nlinear_default_parameters()
    settings.trs = gb_gsl_multifit_nlinear_trs_lm()
    guard let work = gsl_multifit_nlinear_alloc(gb_gsl_multifit_nlinear_trust(), &settings, n, p) else {
        throw CurveFitError.invalidInput("GSL could not allocate a workspace")
    }
    defer { gsl_multifit_nlinear_free(work) }

    let x0 = gsl_vector_alloc(p)!
    defer { gsl_vector_free(x0) }
    for i in 0..<p { gsl_vector_set(x0, i, initial[i]) }

    var status = gsl_multifit_nlinear_init(x0, &fdf, work)
    guard status == Int32(GSL_SUCCESS) else {
        throw CurveFitError.didNotConverge("initial point rejected: \(String(cString: gsl_strerror(status)))")
    }
    var info: Int32 = 0
    status = gsl_multifit_nlinear_driver(maxIterations, 1e-10, 1e-10, 1e-10, nil, nil, &info, work)
    guard status == Int32(GSL_SUCCESS) else {
        throw CurveFitError.didNotConverge(String(cString: gsl_strerror(status)))
    }

    let solution = gsl_multifit_nlinear_position(work)!
    let theta = (0..<p).map { gsl_vector_get(solution, $0) }
    let f = gsl_multifit_nlinear_residual(work)!
    var chi2 = 0.0
    for i in 0..<n { let r = gsl_vector_get(f, i); chi2 += r * r }

    let covar = gsl_matrix_alloc(p, p)!
    defer { gsl_matrix_free(covar) }
    gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(work), 0.0, covar)
    let dof = Double(max(1, n - p))
    let errors = (0..<p).map { (gsl_matrix_get(covar, $0, $0) * chi2 / dof).squareRoot() }
    let covariance = (0..<p).map { i in (0..<p).map { j in gsl_matrix_get(covar, i, j) * chi2 / dof } }
    guard theta.allSatisfy(\.isFinite) else { throw CurveFitError.didNotConverge("the solution is not finite") }

    return FitResult(parameters: theta, standardErrors: errors, sumOfSquares: chi2,
                     iterations: Int(gsl_multifit_nlinear_niter(work)), covariance: covariance, degreesOfFreedom: n - p)
}

import Foundation

/// OpenBLAS's idle worker threads spin (sched_yield) for about 2^28 cycles after each call before sleeping
/// (OPENBLAS_THREAD_TIMEOUT, default 28). Between GEMMs the trainer runs its own threads on the same two
/// cores, so that spinning steals ~10% of a step (measured with perf: __schedule/sched_yield). OpenBLAS reads
/// the variable once, when the library loads, so the process re-executes itself with 2^4 cycles unless the user
/// set it. Numerics are unaffected (bit-identical results).
public enum BLASSpinWait {
    public static let variable = "OPENBLAS_THREAD_TIMEOUT"

    /// Re-executes the current process with OPENBLAS_THREAD_TIMEOUT=4 when it is unset. Returns only when no
    /// re-execution was needed or possible.
    public static func shortenByReexecutingIfNeeded() {
        #if os(Linux)
        guard getenv(variable) == nil else { return }
        setenv(variable, "4", 1)
        let args = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", args)
        // execv returned: keep going with the default spin wait.
        #endif
    }
}

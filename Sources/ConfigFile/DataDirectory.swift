import Foundation

/// Finds the project's `Data/` folder: `$GROWTHBENCH_DATA` if set, else the first `Data/` that holds
/// `hardware/gpus.yaml` in the given start folders or any of their parents.
public enum DataDirectory {
    public static func locate(startingAt starts: [String]) -> String? {
        if let env = ProcessInfo.processInfo.environment["GROWTHBENCH_DATA"], !env.isEmpty { return env }
        let fm = FileManager.default
        for start in starts {
            var url = URL(fileURLWithPath: start).standardizedFileURL
            for _ in 0..<12 {
                let candidate = url.appendingPathComponent("Data")
                if fm.fileExists(atPath: candidate.appendingPathComponent("hardware/gpus.yaml").path) {
                    return candidate.path
                }
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { break }
                url = parent
            }
        }
        return nil
    }
}

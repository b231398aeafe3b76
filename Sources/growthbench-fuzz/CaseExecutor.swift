import Foundation
import Fuzzing

/// Writes each case's mutated file into its own folder and runs its commands there, `workers` cases at a time.
struct CaseExecutor {
    let root: String
    let work: String
    let fixtures: Fixtures
    let cheapFLOPs: Double
    let runner: ProcessRunner

    func runAll(_ cases: [FuzzCase], workers: Int, progress: @escaping @Sendable (Int) -> Void) -> [CaseResult] {
        let lock = NSLock()
        nonisolated(unsafe) var results = [CaseResult?](repeating: nil, count: cases.count)
        nonisolated(unsafe) var done = 0
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { worker in
            for i in stride(from: worker, to: cases.count, by: max(1, workers)) {
                let r = run(cases[i])
                lock.lock()
                results[i] = r
                done += 1
                let d = done
                lock.unlock()
                progress(d)
            }
        }
        return results.compactMap { $0 }
    }

    /// The first written .svg, .html (scripts excluded) or .json file under `dir` that holds "inf" or "nan".
    func nonFiniteInWrittenFiles(_ dir: String) -> String? {
        guard let files = FileManager.default.enumerator(atPath: dir) else { return nil }
        for case let name as String in files where name.hasSuffix(".svg") || name.hasSuffix(".html") || name.hasSuffix(".json") {
            guard var text = try? String(contentsOfFile: dir + "/" + name, encoding: .utf8) else { continue }
            text = text.replacingOccurrences(of: #"<script[\s\S]*?</script>"#, with: " ", options: .regularExpression)
            if let token = OutcomeJudge.nonFiniteToken(in: text) { return "wrote a non-finite number ('\(token)') into \(name)" }
        }
        return nil
    }

    func run(_ c: FuzzCase) -> CaseResult {
        let fm = FileManager.default
        let dir = "\(work)/\(c.family.rawValue.replacingOccurrences(of: " ", with: "-"))-\(c.index)"
        try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if c.family == .hardware { try? fm.copyItem(atPath: root + "/Data", toPath: dir + "/Data") }
        let file = dir + "/" + c.fileName
        try? fm.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = fm.createFile(atPath: file, contents: Data(c.bytes))

        func expand(_ args: [String]) -> [String] {
            args.map { a in
                a.replacingOccurrences(of: "{F}", with: file).replacingOccurrences(of: "{D}", with: dir)
                    .replacingOccurrences(of: "{G}", with: root + "/Scenarios/flm-101b-growth.yaml")
                    .replacingOccurrences(of: "{S}", with: root + "/Scenarios/flm-101b-scratch.yaml")
                    .replacingOccurrences(of: "{C}", with: fixtures.corpora)
                    .replacingOccurrences(of: "{T}", with: fixtures.tinyConfig)
                    .replacingOccurrences(of: "{R}", with: root)
            } + ["--db", dir + "/results.sqlite"]
        }
        var verdicts: [(String, OutcomeJudge.Verdict, String)] = []
        func execute(_ args: [String]) -> CommandOutcome {
            let o = runner.run(expand(args), in: dir)
            var v = OutcomeJudge.judge(o, inputs: [file] + c.siblingFiles.map { dir + "/" + $0 },
                                       requireLocation: c.family != .checkpoint)
            // What a command wrote (report pages and SVGs, JSON) must be finite too.
            if case .cleanSuccess = v, let bad = nonFiniteInWrittenFiles(dir) { v = .failure(bad) }
            if case .clearError = v, c.documentedStatuses.contains(o.status) { v = .cleanSuccess }
            let excerpt = (o.status == 0 ? o.stdout : o.stderr).split(separator: "\n").prefix(3).joined(separator: " | ")
            verdicts.append((args.joined(separator: " "), v, String(excerpt.prefix(400))))
            return o
        }
        for args in c.commands {
            let o = execute(args)
            // A training config that checks out and is cheap is trained for real (NaN losses, odd schedules).
            if let training = c.cheapTraining, args.contains("--check"), o.status == 0,
               let json = try? JSONSerialization.jsonObject(with: Data(o.stdout.utf8)) as? [String: Any],
               let flops = (json["trainingFLOPs"] as? Double) ?? (json["trainingFLOPs"] as? Int).map(Double.init), flops < cheapFLOPs {
                _ = execute(training)
            }
        }
        // Keep the folders of failures only (the suite writes thousands of small files otherwise).
        if !verdicts.contains(where: { if case .failure = $0.1 { return true }; return false }) { try? fm.removeItem(atPath: dir) }
        return CaseResult(fuzzCase: c, verdicts: verdicts)
    }
}

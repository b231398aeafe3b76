import Foundation
import Testing
@testable import ClusterJobs

struct SlurmArrayScriptTests {
    func script(tasks: [Int] = [0, 1, 2, 3], executable: String = "/opt/gb/growthbench", arguments: [String]? = nil,
                partition: String? = "gpu", time: String? = "1:00:00", extra: [String] = ["--mem=4G"]) throws -> SlurmArrayScript {
        try SlurmArrayScript(jobName: "gb-sweep-x", tasks: tasks, arrayParallel: 2, partition: partition, time: time,
                             cpusPerTask: 3, extraArguments: extra, workingDirectory: "/home/me/my project",
                             logPattern: "/r/logs/%x-%A_%a.out", executable: executable,
                             arguments: arguments ?? ["sweep", "/s/sweep.yaml", "--shard", "{shard}/4", "--db", "/r/shard-{shard}.sqlite"],
                             comment: ["a test"])
    }

    @Test func rendersTheArrayAndTheShardCommand() throws {
        let text = try script().render()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "#!/bin/bash")
        for expected in ["# a test", "#SBATCH --job-name=gb-sweep-x", "#SBATCH --array=0-3%2", "#SBATCH --output=/r/logs/%x-%A_%a.out",
                         "#SBATCH --partition=gpu", "#SBATCH --time=1:00:00", "#SBATCH --cpus-per-task=3", "#SBATCH --mem=4G",
                         "cd '/home/me/my project'",
                         "exec /opt/gb/growthbench sweep /s/sweep.yaml --shard \"${SLURM_ARRAY_TASK_ID}\"/4 --db /r/shard-\"${SLURM_ARRAY_TASK_ID}\".sqlite"] {
            #expect(lines.contains(expected), "missing line: \(expected)\n\(text)")
        }
        // Every #SBATCH line comes before the first command (sbatch stops reading them there).
        let lastDirective = lines.lastIndex { $0.hasPrefix("#SBATCH") }!
        let firstCommand = lines.firstIndex { !$0.hasPrefix("#") }!
        #expect(lastDirective < firstCommand)
    }

    @Test func arraySpecFoldsRuns() throws {
        #expect(try script(tasks: [5, 0, 1, 2, 7, 8]).arraySpec == "0-2,5,7-8%2")
        #expect(try script(tasks: [3]).arraySpec == "3%2")
    }

    /// The script, run by bash as array task 2, hands the program exactly the arguments meant (spaces and quotes
    /// intact, the placeholder replaced by the task id).
    @Test func bashPassesTheArgumentsThrough() throws {
        let dir = NSTemporaryDirectory() + "gb-script-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let s = try SlurmArrayScript(jobName: "t", tasks: [0, 1, 2], workingDirectory: dir, logPattern: "\(dir)/%a.out",
                                     executable: "/usr/bin/printf", arguments: ["[%s]\\n", "it's a {shard}", "{shard}/3", "$HOME", "a\"b"])
        try s.render().write(toFile: dir + "/job.sh", atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [dir + "/job.sh"]
        p.environment = ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_JOB_ID": "77", "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let printed = text.split(separator: "\n").filter { $0.hasPrefix("[") }
        #expect(printed == ["[it's a 2]", "[2/3]", "[$HOME]", "[a\"b]"], "\(text)")
    }

    @Test func badOptionsNameTheOption() throws {
        func message(_ body: () throws -> SlurmArrayScript) -> String {
            do { _ = try body(); return "accepted" } catch { return "\(error)" }
        }
        #expect(message { try script(time: "an hour") }.hasPrefix("--time: expected a Slurm time limit"))
        #expect(message { try script(partition: "my part") }.hasPrefix("--partition: expected a partition name"))
        #expect(message { try script(extra: ["mem=4G"]) }.hasPrefix("--sbatch-arg: expected one sbatch option starting with '-'"))
        #expect(message { try script(executable: "growthbench") }.contains("expected an absolute path"))
        #expect(message { try script(tasks: []) }.hasPrefix("--shards:"))
        for ok in ["30", "30:00", "1:00:00", "2-0", "2-12:00", "1-00:00:00", "UNLIMITED"] {
            #expect(SlurmArrayScript.isSlurmTime(ok), "\(ok)")
        }
        for bad in ["", "1:2:3:4", "a", "1-", "-1", "1--2", "1:-2"] {
            #expect(!SlurmArrayScript.isSlurmTime(bad), "\(bad)")
        }
    }
}

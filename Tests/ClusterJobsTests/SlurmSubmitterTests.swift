import Foundation
import Testing
@testable import ClusterJobs

/// `SlurmSubmitter` against fake `sbatch` programs (shell scripts in a temporary PATH folder).
struct SlurmSubmitterTests {
    /// A folder holding an executable `sbatch` with `body`; returns the folder.
    func fakeSbatch(_ body: String) throws -> String {
        ((try fakeProgram("sbatch", body)) as NSString).deletingLastPathComponent
    }

    @Test func submitsWithParsableAndReturnsTheJobId() throws {
        let dir = try fakeSbatch("echo \"$@\" > \"$(dirname \"$0\")/args\"; echo 'sbatch: warning: something' >&2; echo '4242;cluster'")
        let id = try SlurmSubmitter(searchPath: "/nonexistent:\(dir)").submit(scriptAt: "/r/job.sbatch")
        #expect(id == "4242")
        #expect(try String(contentsOfFile: dir + "/args", encoding: .utf8) == "--parsable /r/job.sbatch\n")
    }

    @Test func missingSbatchIsNamed() throws {
        let empty = NSTemporaryDirectory() + "gb-empty-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(throws: ClusterJobError.submitterNotFound("sbatch")) { try SlurmSubmitter(searchPath: empty).submit(scriptAt: "/r/job.sbatch") }
        #expect(ClusterJobError.submitterNotFound("sbatch").description.hasPrefix("sbatch not found on PATH"))
    }

    @Test func failingSbatchReportsStatusAndItsError() throws {
        let dir = try fakeSbatch("echo 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2; exit 1")
        do {
            _ = try SlurmSubmitter(searchPath: dir).submit(scriptAt: "/r/job.sbatch")
            Issue.record("a failing sbatch was taken as a submission")
        } catch let e as ClusterJobError {
            guard case let .submissionFailed(_, status, stderr) = e else { Issue.record("wrong error \(e)"); return }
            #expect(status == 1)
            #expect(stderr.contains("Invalid partition name specified"))
            #expect(e.description.contains("failed with exit status 1: sbatch: error: Batch job submission failed"))
        }
    }

    @Test func outputWithoutJobIdIsAnError() throws {
        let dir = try fakeSbatch("echo 'Submitted batch job'")
        #expect(throws: ClusterJobError.self) { try SlurmSubmitter(searchPath: dir).submit(scriptAt: "/r/job.sbatch") }
        #expect(SlurmSubmitter.jobId(parsable: "17\n") == "17")
        #expect(SlurmSubmitter.jobId(parsable: "17;west\n\n") == "17")
        #expect(SlurmSubmitter.jobId(parsable: "") == nil)
        #expect(SlurmSubmitter.jobId(parsable: "Submitted batch job 17") == nil)
    }

    @Test func manifestRoundTrips() throws {
        let dir = NSTemporaryDirectory() + "gb-manifest-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(try ArrayJobManifest.load(from: dir) == nil)
        var m = ArrayJobManifest(file: "/s/sweep.yaml", name: "s", fingerprint: "abcd", shards: 4)
        m.submissions.append(.init(jobId: "12", tasks: [0, 1, 2, 3], script: "/r/a.sbatch", submittedAt: Date(timeIntervalSince1970: 1_700_000_000)))
        try m.save(to: dir)
        #expect(try ArrayJobManifest.load(from: dir) == m)
        try "{".write(toFile: ArrayJobManifest.path(in: dir), atomically: true, encoding: .utf8)
        #expect(throws: ClusterJobError.self) { try ArrayJobManifest.load(from: dir) }
    }
}

/// `SlurmQueue` against fake `squeue` programs: an unreadable queue is an error, never "nothing queued".
struct SlurmQueueTests {
    func fakeSqueue(_ body: String) throws -> String { try fakeProgram("squeue", body) }

    @Test func queuedTasksAreListed() throws {
        let q = SlurmQueue(program: try fakeSqueue("printf '12_1\\n12_3\\n'"))
        #expect(try q.activeTasks(jobIds: ["12"]) == ["12_1", "12_3"])
    }

    @Test func purgedJobsAreAnEmptyQueue() throws {
        let q = SlurmQueue(program: try fakeSqueue("echo 'slurm_load_jobs error: Invalid job id specified' >&2; exit 1"))
        #expect(try q.activeTasks(jobIds: ["12"]) == [])
    }

    @Test func aFailingSqueueIsAnError() throws {
        let q = SlurmQueue(program: try fakeSqueue("echo 'slurm_load_jobs error: Socket timed out on send/recv operation' >&2; exit 1"))
        #expect { _ = try q.activeTasks(jobIds: ["12"]) } throws: { "\($0)".contains("Socket timed out") }
        #expect(throws: ClusterQueueError.self) { _ = try SlurmQueue(program: "/nonexistent/squeue").activeTasks(jobIds: ["1"]) }
    }
}

/// An executable shell script `name` running `body`, in a fresh temporary folder; returns its path.
func fakeProgram(_ name: String, _ body: String) throws -> String {
    let dir = NSTemporaryDirectory() + "gb-fake-\(name)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try "#!/bin/sh\n\(body)\n".write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir + "/" + name)
    return dir + "/" + name
}

import Foundation
import Fuzzing

/// One mutated input and the commands that must survive it.
struct FuzzCase {
    enum Family: String, CaseIterable { case scenario, hardware, trainingConfig = "training config", checkpoint }
    var family: Family
    var index: Int
    /// The shipped file it was generated from, and what was changed.
    var base: String
    var mutation: String
    /// The mutated file's bytes and its name in the case folder (relative).
    var bytes: [UInt8]
    var fileName: String
    /// Other files of the case a clear error may name instead (the rest of a mutated Data/ folder).
    var siblingFiles: [String] = []
    /// Commands, each a list of arguments with `{F}` for the mutated file and `{D}` for the case folder.
    var commands: [[String]]
    /// Training configs: a real run, made only when `train --check` succeeded and priced it under the driver's
    /// FLOP limit (so a mutated step count cannot make the suite hours long).
    var cheapTraining: [String]? = nil
    /// Exit statuses a command documents as an outcome rather than an error (train: 3 = diverged).
    var documentedStatuses: Set<Int32> = []
}

/// The verdicts of one case's commands.
struct CaseResult {
    var fuzzCase: FuzzCase
    var verdicts: [(command: String, verdict: OutcomeJudge.Verdict, excerpt: String)]
}

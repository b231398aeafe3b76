import Foundation

/// A Foundation file error (NSCocoaErrorDomain Code=512 and friends) as one sentence naming the path and the
/// operating system's reason: "out/x: cannot write (Permission denied)". Every command's errors pass through
/// here once, in `GrowthBench.main`, so no command has to wrap its own writes.
struct FileError: Error, CustomStringConvertible {
    var description: String

    static func readable(_ error: Error) -> Error {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain else { return error }
        let path = ns.userInfo[NSFilePathErrorKey] as? String
            ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path ?? "a file"
        var reason: String
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            reason = String(cString: strerror(Int32(underlying.code)))
        } else {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: reason = "no such file or folder"
            case .fileReadNoPermission, .fileWriteNoPermission: reason = "permission denied"
            case .fileWriteOutOfSpace: reason = "no space left on the device"
            case .fileWriteFileExists: reason = "a file is in the way"
            case .fileReadInapplicableStringEncoding, .fileReadCorruptFile: reason = "not UTF-8 text"
            default: reason = obstacle(on: path) ?? "error \(ns.code)"
            }
        }
        // Codes 512–767 are write errors, 256–511 read errors, lower ones file-system errors (FoundationErrors.h).
        let verb = (512..<768).contains(ns.code) ? "cannot write" : (256..<512).contains(ns.code) ? "cannot read" : "cannot create or open"
        return FileError(description: "\(path): \(verb) (\(reason))")
    }

    /// What stands in the way of creating `path`: its nearest existing ancestor when that is a file or read-only.
    static func obstacle(on path: String) -> String? {
        var ancestor = (path as NSString).deletingLastPathComponent
        let fm = FileManager.default
        while !ancestor.isEmpty, ancestor != "/" {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { return "\(ancestor) is a file, not a folder" }
                if !fm.isWritableFile(atPath: ancestor) { return "\(ancestor) is not writable" }
                return nil
            }
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        return nil
    }
}

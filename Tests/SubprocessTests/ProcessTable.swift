import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What /proc says about processes, for assertions about children and descendants.
enum ProcessTable {
    /// One line of /proc/<pid>/stat, parsed.
    struct Entry {
        var pid: Int32
        var state: Character
        var parent: Int32
        var uid: UInt32
    }

    /// The entry for `pid`, or nil when there is no such process.
    static func entry(_ pid: Int32) -> Entry? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        guard fields.count > 2, let state = fields[0].first, let parent = Int32(fields[1]) else { return nil }
        var uid: UInt32 = .max
        if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }) {
            uid = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.flatMap { UInt32($0) } ?? .max
        }
        return Entry(pid: pid, state: state, parent: parent, uid: uid)
    }

    /// Whether `pid` is a live process (present and neither zombie nor dead).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let entry = entry(pid) else { return false }
        return entry.state != "Z" && entry.state != "X"
    }

    /// Every process in /proc now.
    static func all() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { Int32($0) }.compactMap(entry)
    }

    /// Live processes whose real uid is `uid`.
    static func alive(ownedBy uid: UInt32) -> [Entry] {
        all().filter { $0.uid == uid && $0.state != "Z" && $0.state != "X" }
    }

    /// Waits (polling every 20 ms, at most `limit`: a hang guard) until none of `pids` is
    /// alive; true when they all died. SIGKILL takes effect quickly but not synchronously.
    static func waitUntilDead(_ pids: [Int32], limit: Duration = .seconds(60)) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + limit
        while clock.now < end {
            if !pids.contains(where: isAlive) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !pids.contains(where: isAlive)
    }
}

import CReadline
import Foundation
import NKSources

/// The prompt's persistent history.
///
/// Kept in `$NK_HISTORY`, else `$XDG_STATE_HOME/nk/history`, else `~/.local/state/nk/history`
/// (never in `$HOME` itself), created with mode 0600. Each entry is appended with one `write`
/// as it is made, so two shells open at once both keep their lines. A multi-line statement is
/// one entry: its inner line breaks are stored as a line ending in `\`. Consecutive duplicates
/// and lines typed with a leading space are not kept; the file keeps the newest 5,000 entries.
public final class History {
    static let capacity = 5_000
    let path: String?
    private(set) var entries: [String] = []

    init(path: String?) {
        self.path = path
        guard let path else { return }
        entries = History.read(path)
        if entries.count > History.capacity {
            entries.removeFirst(entries.count - History.capacity)
            rewrite()
        }
    }

    /// The history file's path from the environment (nil when no home is known).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let explicit = environment["NK_HISTORY"], !explicit.isEmpty { return explicit }
        let state: String
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            state = xdg
        } else if let home = environment["HOME"], !home.isEmpty {
            state = home + "/.local/state"
        } else {
            return nil
        }
        return state + "/nk/history"
    }

    /// Records an entry (unless it is empty, starts with a space or repeats the last one). A
    /// password in a connection address is masked before it is kept anywhere.
    func add(_ entry: String) {
        let trimmed = Databases.masked(entry.trimmingCharacters(in: .whitespacesAndNewlines))
        if trimmed.isEmpty || entry.hasPrefix(" ") || entries.last == trimmed { return }
        entries.append(trimmed)
        add_history(trimmed)
        guard let path else { return }
        History.ensureFolder(of: path)
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let record = History.encode(trimmed)
        _ = record.withCString { write(fd, $0, strlen($0)) }
    }

    /// Hands the entries to readline so arrows and Ctrl-R find them.
    func loadIntoReadline() {
        stifle_history(Int32(History.capacity))
        for e in entries { add_history(e) }
    }

    static func encode(_ entry: String) -> String {
        entry.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\\n") + "\n"
    }

    static func read(_ path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        var entries: [String] = []
        var current: [String] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasSuffix("\\") {
                current.append(String(line.dropLast()))
            } else {
                current.append(String(line))
                let entry = current.joined(separator: "\n")
                if !entry.isEmpty { entries.append(entry) }
                current = []
            }
        }
        return entries
    }

    private func rewrite() {
        guard let path else { return }
        let temporary = path + ".nk-\(getpid()).tmp"
        let text = entries.map(History.encode).joined()
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
    }

    private static func ensureFolder(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
    }
}

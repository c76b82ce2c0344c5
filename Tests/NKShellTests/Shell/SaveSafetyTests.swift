import Foundation
import NKShell
import NKTestSupport
import Testing

/// `save` never destroys what the user had: a file nk did not write in this session is
/// replaced only when the user says `overwrite` (or `set overwrite = on`), and a failed write
/// leaves the old file as it was.
@Suite struct SaveSafetyTests {
    static func shell() -> (ShellSession, () -> String) {
        var output = ""
        let shell = ShellSession(out: { output += $0 }, err: { output += $0 })
        shell.bail = false
        _ = shell.run("load \"\(TestPaths.corpus("nk").path)/data/people.csv\" as people", name: "setup")
        return (shell, { defer { output = "" }; return output })
    }

    @Test func aFileNkDidNotWriteIsKeptUnlessOverwriteIsSaid() throws {
        let folder = try TestPaths.temporaryDirectory()
        let target = folder.appendingPathComponent("report.csv")
        try "keep me\n".write(to: target, atomically: true, encoding: .utf8)
        let (shell, output) = Self.shell()
        _ = output()
        #expect(!shell.run("save people to \"\(target.path)\"", name: "s.nk"))
        #expect(output().contains("s.nk:1:16: error: \(target.path) exists, and nk did not write it in this session: it is left as it is"))
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me\n")
        #expect(shell.run("save people to \"\(target.path)\" overwrite", name: "s.nk"))
        #expect(try String(contentsOf: target, encoding: .utf8).hasPrefix("id,name,region"))
        // written by this session now: saving again needs no word
        #expect(shell.run("save (people | head 1) to \"\(target.path)\"", name: "s.nk"))
        #expect(try String(contentsOf: target, encoding: .utf8).split(separator: "\n").count == 2)
    }

    @Test func setOverwriteOnAndOff() throws {
        let folder = try TestPaths.temporaryDirectory()
        let target = folder.appendingPathComponent("out.json")
        try "[]".write(to: target, atomically: true, encoding: .utf8)
        let (shell, output) = Self.shell()
        #expect(shell.run(".set overwrite on", name: "s.nk"))
        #expect(shell.run("save people to \"\(target.path)\"", name: "s.nk"))
        #expect(try String(contentsOf: target, encoding: .utf8).contains("Anna Müller"))
        let other = folder.appendingPathComponent("other.csv")
        try "mine\n".write(to: other, atomically: true, encoding: .utf8)
        #expect(shell.run("set overwrite = off", name: "s.nk"))
        _ = output()
        #expect(!shell.run("save people to \"\(other.path)\"", name: "s.nk"))
        #expect(try String(contentsOf: other, encoding: .utf8) == "mine\n")
        #expect(!shell.run("set overwrite = maybe", name: "s.nk"))
        #expect(output().contains("`overwrite` is on or off"))
    }

    @Test func aFolderThatDoesNotExistOrIsAFileIsAClearError() throws {
        let folder = try TestPaths.temporaryDirectory()
        let (shell, output) = Self.shell()
        _ = output()
        #expect(!shell.run("save people to \"\(folder.path)/missing/x.csv\"", name: "s.nk"))
        #expect(output().contains("the folder \(folder.path)/missing does not exist"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("dir.csv"), withIntermediateDirectories: false)
        #expect(!shell.run("save people to \"\(folder.path)/dir.csv\" overwrite", name: "s.nk"))
        #expect(output().contains("it is a directory"))
        // no temporary files are left behind
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["dir.csv"])
    }
}

extension SaveSafetyTests {
    @Test func aReplacedFileKeepsItsPermissions() throws {
        // a private file stays private when nk writes a new version of it
        let folder = try TestPaths.temporaryDirectory()
        let target = folder.appendingPathComponent("private.csv")
        try "old\n".write(to: target, atomically: false, encoding: .utf8)
        chmod(target.path, 0o600)
        let (shell, _) = Self.shell()
        #expect(shell.run("save people to \"\(target.path)\" overwrite", name: "s.nk"))
        #expect(try String(contentsOf: target, encoding: .utf8).hasPrefix("id,name,region"))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        // a new file gets the usual permissions
        let fresh = folder.appendingPathComponent("fresh.csv")
        #expect(shell.run("save people to \"\(fresh.path)\"", name: "s.nk"))
        let freshMode = try #require(try FileManager.default.attributesOfItem(atPath: fresh.path)[.posixPermissions] as? Int)
        #expect(freshMode == 0o666 & ~Int(Self.umask))
    }

    static var umask: mode_t {
        let current = Foundation.umask(0)
        Foundation.umask(current)
        return current
    }
}

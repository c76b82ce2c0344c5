import Foundation
import NKEngine
@testable import NKShell
import NKTestSupport
import Testing

@Suite(.serialized) struct HistoryTests {
    func file() throws -> String { try TestPaths.temporaryDirectory().appendingPathComponent("state/nk/history").path }

    @Test func entriesSurviveARestartWithMultiLineStatementsWhole() throws {
        let path = try file()
        let h = History(path: path)
        h.add("load \"a.csv\"")
        h.add("customers |\n  filter region = \"Süd\" |\n  count")
        h.add("load \"a.csv\"")            // not a consecutive duplicate: kept
        h.add("load \"a.csv\"")            // consecutive duplicate: dropped
        h.add(" secret | count")           // leading space: not kept
        h.add("   ")
        #expect(History(path: path).entries == ["load \"a.csv\"", "customers |\n  filter region = \"Süd\" |\n  count", "load \"a.csv\""])
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func aPasswordTypedInAnAddressIsNeverKept() throws {
        let path = try file()
        let h = History(path: path)
        h.add("attach \"postgresql://ann:s3cret@db.example.com:5432/crm\" as pg")
        h.add("attach \"postgresql:///crm?host=/tmp/s&user=ann&password=s3cret\" as pg2")
        h.add("attach \"host=db user=ann password=s3cret dbname=crm\" as pg3")
        let kept = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!kept.contains("s3cret"))
        #expect(History(path: path).entries == [
            "attach \"postgresql://ann:***@db.example.com:5432/crm\" as pg",
            "attach \"postgresql:///crm?host=/tmp/s&user=ann&password=***\" as pg2",
            "attach \"host=db user=ann password=*** dbname=crm\" as pg3"])
        #expect(h.entries.allSatisfy { !$0.contains("s3cret") })
    }

    @Test func twoShellsAtOnceBothKeepTheirLines() throws {
        let path = try file()
        let first = History(path: path), second = History(path: path)
        first.add("from the first")
        second.add("from the second")
        first.add("first again")
        #expect(History(path: path).entries == ["from the first", "from the second", "first again"])
    }

    @Test func theFileKeepsTheNewestEntries() throws {
        let path = try file()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let text = (1...(History.capacity + 30)).map { "t\($0) | count\n" }.joined()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let h = History(path: path)
        #expect(h.entries.count == History.capacity)
        #expect(h.entries.first == "t31 | count")
        #expect(History.read(path).count == History.capacity)
    }

    @Test func whereTheFileGoes() {
        #expect(History.defaultPath(environment: ["NK_HISTORY": "/x/h", "HOME": "/home/u"]) == "/x/h")
        #expect(History.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/home/u"]) == "/s/nk/history")
        #expect(History.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.local/state/nk/history")
        #expect(History.defaultPath(environment: ["XDG_STATE_HOME": "relative", "HOME": "/home/u"]) == "/home/u/.local/state/nk/history")
        #expect(History.defaultPath(environment: [:]) == nil)
    }
}

@Suite struct ProgressLineTests {
    @Test func sayWhatIsDone() {
        #expect(ProgressLine.text(elapsed: 3.21, progress: (0, 0, false)) == "running 3.2 s · Ctrl-C cancels")
        #expect(ProgressLine.text(elapsed: 2.5, progress: (275_000_000, 551_000_000, true)) == "running 2.5 s · 49 % of 551 MB · Ctrl-C cancels")
        #expect(ProgressLine.text(elapsed: 4, progress: (4_100_000, 10_000_000, false)) == "running 4.0 s · 4.1 M of 10.0 M rows (41 %) · Ctrl-C cancels")
    }

    @Test func theEngineReportsProgress() throws {
        let flag = CancellationFlag()
        let text = (0..<300_000).map { "\($0),x\n" }.joined()
        let file = try TestPaths.temporaryDirectory().appendingPathComponent("p.csv")
        try ("a,b\n" + text).write(to: file, atomically: true, encoding: .utf8)
        _ = try CSVReader.load(path: file.path, cancellation: flag)
        let p = flag.progress
        #expect(p.bytes && p.total > 0 && p.done == p.total)
    }
}

// The workbook reader: a workbook whose sheet, shared strings and styles are the fuzzer's
// bytes (split at 0xFF bytes, stored in a zip uncompressed so the XML is what is mutated) gives
// tables or an error, never a crash or a hang.
import Foundation
import NKEngine
import NKSources

let workbook = Array("""
    <workbook xmlns:r="r"><workbookPr date1904="0"/><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>
    """.utf8)
let relations = Array("""
    <Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>
    """.utf8)
// in memory's file system where there is one (a workbook is written for every input; written
// to disk, the kernel's flushes took more of the time than the reader)
let path = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()) + "nk-fuzz-\(getpid()).xlsx"

/// A zip archive of stored members (CRC left 0: the reader does not check it).
func storedZip(_ members: [(String, [UInt8])]) -> [UInt8] {
    func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    var out: [UInt8] = [], directory: [UInt8] = []
    for (name, data) in members {
        let n = Array(name.utf8)
        directory += le(0x0201_4B50, 4) + le(20, 2) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4)
            + le(data.count, 4) + le(data.count, 4) + le(n.count, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(out.count, 4) + n
        out += le(0x0403_4B50, 4) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4) + le(data.count, 4) + le(data.count, 4)
            + le(n.count, 2) + le(0, 2) + n + data
    }
    let start = out.count
    return out + directory + le(0x0605_4B50, 4) + le(0, 4) + le(members.count, 2) + le(members.count, 2) + le(directory.count, 4) + le(start, 4) + le(0, 2)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let parts = Array(UnsafeBufferPointer(start: data, count: size)).split(separator: 0xFF, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
    var members = [("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", relations), ("xl/worksheets/sheet1.xml", parts[0])]
    if parts.count > 1 { members.append(("xl/sharedStrings.xml", parts[1])) }
    if parts.count > 2 { members.append(("xl/styles.xml", parts[2])) }
    let zip = storedZip(members)
    guard let file = fopen(path, "wb") else { fatalError("cannot write \(path)") }
    _ = zip.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    do {
        for sheet in try XLSXReader.load(path: path, shown: "fuzz.xlsx") {
            let t = sheet.read.table
            for c in t.columns { precondition(c.count == t.rowCount, "a column of the wrong length") }
            for r in 0..<min(t.rowCount, 3) { _ = t.row(r).map(\.description) }
        }
    } catch let e as EngineError {
        _ = e.description
    } catch {
        preconditionFailure("an error that is not an EngineError: \(error)")
    }
    return 0
}

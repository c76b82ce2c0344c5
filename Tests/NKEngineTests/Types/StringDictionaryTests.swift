import NKEngine
import Testing

@Suite struct StringDictionaryTests {
    @Test func insertGivesStableCodes() {
        var b = StringDictionaryBuilder()
        #expect(b.insert("Süd") == 0)
        #expect(b.insert("Nord") == 1)
        #expect(b.insert("Süd") == 0)
        #expect(b.insert("") == 2)
        let d = b.build()
        #expect(d.count == 3)
        #expect(d[0] == "Süd" && d[2] == "")
        #expect(d.code(of: "Nord") == 1)
        #expect(d.code(of: "nord") == nil)
        #expect(d.code(of: "") == 2)
    }

    @Test func growsPastManyRehashes() {
        var b = StringDictionaryBuilder()
        for i in 0..<20_000 { #expect(b.insert("value \(i)") == Int32(i)) }
        for i in stride(from: 0, to: 20_000, by: 997) { #expect(b.insert("value \(i)") == Int32(i)) }
        let d = b.build()
        #expect(d.code(of: "value 19999") == 19_999)
        #expect(d.code(of: "value 20000") == nil)
    }

    @Test func ranksFollowByteOrder() {
        let d = StringDictionary(["b", "a", "Ä", "aa", ""])
        let ranks = d.sortRanks()
        // "" < "a" < "aa" < "b" < "Ä" (UTF-8 byte order)
        #expect(ranks == [3, 1, 4, 2, 0])
    }

    @Test func mapStringsMergesEqualResults() {
        let d = StringDictionary(["Süd", "SÜD", "nord"])
        let (mapped, remap) = d.mapStrings { $0.lowercased() }
        #expect(mapped.strings == ["süd", "nord"])
        #expect(remap == [0, 0, 1])
    }

    @Test func builderFromDictionaryKeepsCodes() {
        let d = StringDictionary(["x", "y"])
        var b = StringDictionaryBuilder(d)
        #expect(b.insert("y") == 1)
        #expect(b.insert("z") == 2)
    }

    /// Joining one dictionary to another in batches (what a CSV part's column does) gives every
    /// string the code inserting it alone gives, across batches, with strings both hold, the
    /// empty string, and a join that grows the table.
    @Test func insertAllGivesTheCodesOfSingleInserts() {
        var joined = StringDictionaryBuilder(), alone = StringDictionaryBuilder()
        for i in 0..<1_000 {
            joined.insert("kept \(i)")
            alone.insert("kept \(i)")
        }
        var part = StringDictionaryBuilder()
        for i in stride(from: 0, to: 3_000, by: 3) { part.insert(i % 2 == 0 ? "kept \(i / 3)" : "new \(i)") }
        part.insert("")
        part.insert("kept 999")
        let codes = joined.insertAll(of: part)
        let expected = part.build().strings.map { alone.insert($0) }
        #expect(codes == expected)
        #expect(joined.count == alone.count && joined.count == 1_000 + 500 + 1)
        #expect(joined.build().strings == alone.build().strings)
        var empty = StringDictionaryBuilder()
        #expect(empty.insertAll(of: StringDictionaryBuilder()).isEmpty && empty.count == 0)
    }
}

import NKEngine
import Testing

@Suite struct ValidityTests {
    @Test func setAndCount() {
        var v = Validity(count: 130, allValid: true)
        #expect(v.validCount == 130)
        v.set(0, false); v.set(64, false); v.set(129, false)
        #expect(v.nullCount == 3)
        #expect(!v.isValid(64) && v.isValid(65))
        #expect(!v.allValid)
    }

    @Test func tailBitsStayClear() {
        let v = Validity(count: 3, allValid: true)
        #expect(v.words == [0b111])
        #expect(v.validCount == 3)
    }

    @Test func andCombines() {
        let a = Validity([true, true, false, false])
        let b = Validity([true, false, true, false])
        #expect((a & b) == Validity([true, false, false, false]))
        #expect(Validity.both(nil, nil) == nil)
        #expect(Validity.both(a, nil) == a)
    }

    @Test func slicesAlignedAndUnaligned() {
        let flags = (0..<200).map { $0 % 3 != 0 }
        let v = Validity(flags)
        #expect(v.slice(64..<200) == Validity(Array(flags[64..<200])))
        #expect(v.slice(5..<77) == Validity(Array(flags[5..<77])))
    }

    @Test func gatherAndAppend() {
        let flags = (0..<100).map { $0 % 2 == 0 }
        let v = Validity(flags)
        let rows: [Int32] = [99, 0, 2, 3]
        let g = rows.withUnsafeBufferPointer { v.gather($0) }
        #expect(g == Validity([false, true, true, false]))
        var a = Validity([true, false, true])
        a.append(contentsOf: Validity([false, true]))
        #expect(a == Validity([true, false, true, false, true]))
    }
}

@testable import NKAnalysis
import NKEngine
import NKTestSupport
import Testing

/// `segment lifecycle` works through its order rows in pieces (so that Ctrl-C is heard at 50 M
/// rows, and the pieces run on all cores): cut small, the pieces give exactly what one piece
/// gives, a customer is never split between two pieces, and a set flag stops every step.
@Suite struct LifecycleKeysTests {
    /// Orders of 40 customers (text keys, some null), 1 to 30 on days spread over two years,
    /// some without a date and some after the reference day.
    static func orders(seed: UInt64) -> (key: Column, date: Column) {
        var random = SeededGenerator(seed: seed)
        var keys: [String?] = [], days: [Int32?] = []
        for customer in 0..<40 {
            for _ in 0..<Int.random(in: 1...30, using: &random) {
                keys.append(Int.random(in: 0..<50, using: &random) == 0 ? nil : "c\(customer)")
                days.append(Int.random(in: 0..<40, using: &random) == 0 ? nil : Int32.random(in: 19_000...19_730, using: &random))
            }
        }
        // rows in no particular order
        let order = Array(keys.indices).shuffled(using: &random)
        return (.strings(order.map { keys[$0] }), .dates(order.map { days[$0] }))
    }

    static let asOf: Int32 = 19_700

    @Test(arguments: [UInt64(1), 2, 3])
    func smallPiecesGiveWhatOnePieceGives(seed: UInt64) throws {
        let (key, date) = Self.orders(seed: seed)
        let days = Lifecycle.orderDays(date), flag = CancellationFlag()
        let customers = try CustomerKeys(key, cancellation: flag)
        let whole = try Lifecycle.usableRows(key, date, days, asOf: Self.asOf, cancellation: flag, pieceSize: .max)
        #expect(whole.nullKey > 0 && whole.nullDate > 0 && whole.future > 0, "the data should exercise every reason to leave a row out")
        var options = Lifecycle.Options(customer: "k", date: "d")
        options.asOf = Self.asOf
        let lapsedBefore = Lifecycle.subtract(options.lapsedAfter, from: whole.asOf)
        let newSince = Lifecycle.subtract(options.newWithin, from: whole.asOf)
        let (wholeKeys, dayBits) = try Lifecycle.sortedKeys(days, whole, customers, cancellation: flag, pieceSize: .max)
        let wholeClasses = try Lifecycle.classifyAll(wholeKeys, dayBits: dayBits, earliest: whole.earliest, lapsedBefore: lapsedBefore,
                                                     newSince: newSince, options: options, cancellation: flag, pieceSize: .max)
        #expect(wholeClasses.out.codes.count > 30)
        for size in [1, 3, 64, 100] {
            let rows = try Lifecycle.usableRows(key, date, days, asOf: Self.asOf, cancellation: flag, pieceSize: size)
            #expect(rows == whole, "usable rows, pieces of \(size)")
            let (keys, bits) = try Lifecycle.sortedKeys(days, rows, customers, cancellation: flag, pieceSize: size)
            #expect(keys == wholeKeys && bits == dayBits, "sorted keys, pieces of \(size)")
            let classes = try Lifecycle.classifyAll(keys, dayBits: bits, earliest: rows.earliest, lapsedBefore: lapsedBefore,
                                                    newSince: newSince, options: options, cancellation: flag, pieceSize: size)
            #expect(classes == wholeClasses, "classes, pieces of \(size)")
        }
    }

    @Test func piecesStartAtACustomersFirstKey() {
        // customer c has c % 7 + 1 keys; 4 low bits hold the day
        var keys: [UInt64] = []
        for c in 0..<200 { for d in 0...(c % 7) { keys.append(UInt64(c) << 4 | UInt64(d)) } }
        for size in [1, 2, 5, 13] {
            let pieces = Lifecycle.customerPieces(keys, dayBits: 4, size: size)
            #expect(pieces.first?.lowerBound == 0 && pieces.last?.upperBound == keys.count)
            for (a, b) in zip(pieces, pieces.dropFirst()) {
                #expect(a.upperBound == b.lowerBound)
                #expect(a.count >= size, "only the last piece may be shorter than \(size)")
                #expect(keys[b.lowerBound] >> 4 != keys[b.lowerBound - 1] >> 4, "a customer split at \(b.lowerBound)")
            }
        }
        #expect(Lifecycle.customerPieces([], dayBits: 4, size: 5) == [0..<0])
    }

    @Test func aSetFlagStopsEveryStep() throws {
        let (key, date) = Self.orders(seed: 9)
        let days = Lifecycle.orderDays(date), running = CancellationFlag(), stopped = CancellationFlag()
        stopped.cancel()
        let customers = try CustomerKeys(key, cancellation: running)
        let rows = try Lifecycle.usableRows(key, date, days, asOf: Self.asOf, cancellation: running, pieceSize: 10)
        let (keys, bits) = try Lifecycle.sortedKeys(days, rows, customers, cancellation: running, pieceSize: 10)
        func isCancelled(_ body: () throws -> Void) -> Bool {
            do { try body(); return false } catch { return (error as? EngineError)?.category == .cancelled }
        }
        #expect(isCancelled { _ = try Lifecycle.usableRows(key, date, days, asOf: Self.asOf, cancellation: stopped, pieceSize: 10) })
        #expect(isCancelled { _ = try Lifecycle.sortedKeys(days, rows, customers, cancellation: stopped, pieceSize: 10) })
        #expect(isCancelled {
            _ = try Lifecycle.classifyAll(keys, dayBits: bits, earliest: rows.earliest, lapsedBefore: Self.asOf, newSince: Self.asOf,
                                          options: Lifecycle.Options(customer: "k", date: "d"), cancellation: stopped, pieceSize: 10)
        })
    }
}

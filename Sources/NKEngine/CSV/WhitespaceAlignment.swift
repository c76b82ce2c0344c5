/// Files whose fields are separated by runs of blanks (spaces or tabs), as a report or an old
/// transaction log prints them in aligned columns:
///
///     customer_id date     number_of_cds dollar_value
///        00001    19970101  1            11.77
///
/// Such a file is read by turning it into tab-separated text first: each line keeps its place
/// (line numbers in errors stay right), blanks at the start and end of a line go, and each run
/// of blanks between fields becomes one tab. Text in double quotes keeps its blanks.
enum WhitespaceAlignment {
    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
    /// A line holding one of these is a delimited file's, not an aligned one's.
    static let usualDelimiters: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "|"), tab]

    /// How long a run of spaces must be to separate fields, when the first lines look aligned:
    /// none holds a usual delimiter, and most split into the same number of fields — at least
    /// three, or two where lines start with blanks or fields are set apart by more than one.
    /// 1 when single spaces separate; 2 when only wider runs do (values then keep their single
    /// spaces: `Bad Homburg`); nil when the file does not look aligned.
    static func detect(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        let lines = sampleLines(p, n)
        for line in lines {
            for i in line where usualDelimiters.contains(p[i]) { return nil }
        }
        for minimumRun in [1, 2] where consistent(p, lines, minimumRun: minimumRun) { return minimumRun }
        return nil
    }

    /// The first non-empty lines (up to 40), without their line breaks.
    static func sampleLines(_ p: UnsafePointer<UInt8>, _ n: Int) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        while start < n, lines.count < 40 {
            var end = start
            while end < n, p[end] != newline { end += 1 }
            var stop = end
            if stop > start, p[stop - 1] == carriageReturn { stop -= 1 }
            if (start..<stop).contains(where: { p[$0] != space }) { lines.append(start..<stop) }
            start = end + 1
        }
        return lines
    }

    /// Whether most lines split into the same number of fields, by runs of at least `minimumRun` blanks.
    static func consistent(_ p: UnsafePointer<UInt8>, _ lines: [Range<Int>], minimumRun: Int) -> Bool {
        var counts: [Int: Int] = [:]
        var padded = 0
        for line in lines {
            let (fields, wide) = split(p, line, minimumRun: minimumRun)
            counts[fields, default: 0] += 1
            if wide || p[line.lowerBound] == space { padded += 1 }
        }
        guard let mode = counts.max(by: { $0.value < $1.value }), mode.key >= 2 else { return false }
        guard Double(mode.value) >= 0.9 * Double(lines.count) else { return false }
        return minimumRun > 1 || mode.key >= 3 || padded * 2 >= lines.count
    }

    /// The number of fields of a line split by runs of at least `minimumRun` blanks (a run with a
    /// tab always splits), and whether a run of two or more blanks separates any of them.
    static func split(_ p: UnsafePointer<UInt8>, _ line: Range<Int>, minimumRun: Int) -> (fields: Int, wide: Bool) {
        var fields = 0, wide = false, inQuotes = false, run = 0, hadTab = false, started = false
        for i in line {
            let c = p[i]
            if !inQuotes, c == space || c == tab {
                run += 1
                hadTab = hadTab || c == tab
                continue
            }
            if c == quote { inQuotes.toggle() }
            if !started || run >= minimumRun || hadTab {
                fields += 1
                if started, run >= 2 { wide = true }
            }
            started = true
            run = 0
            hadTab = false
        }
        return (fields, wide)
    }

    /// The text as tab-separated lines (see the type's description): runs of at least
    /// `minimumRun` blanks between fields become one tab, shorter ones stay in the value.
    static func normalized(_ p: UnsafePointer<UInt8>, _ n: Int, minimumRun: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(n)
        var atLineStart = true, inQuotes = false, run = 0, hadTab = false
        for i in 0..<n {
            let c = p[i]
            if c == newline || (c == carriageReturn && !inQuotes) {
                out.append(c)
                if c == newline { atLineStart = true; inQuotes = false }
                run = 0
                hadTab = false
            } else if !inQuotes, c == space || c == tab {
                run += 1
                hadTab = hadTab || c == tab
            } else {
                if !atLineStart, run > 0 {
                    if run >= minimumRun || hadTab { out.append(tab) } else { out.append(contentsOf: repeatElement(space, count: run)) }
                }
                run = 0
                hadTab = false
                if c == quote { inQuotes.toggle() }
                atLineStart = false
                out.append(c)
            }
        }
        return out
    }
}

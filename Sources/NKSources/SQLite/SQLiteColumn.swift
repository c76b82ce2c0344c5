import CSQLite
import NKEngine

/// One result column of a SQLite query while its rows arrive. It keeps the narrowest storage
/// that holds every value so far: whole numbers, then numbers, then text (each value as SQLite
/// spells it). `finish` types it: by the declared affinity, then by the values.
struct SQLiteColumn {
    enum Mode { case integer, real, text }
    let name: String
    let declared: String
    var mode = Mode.integer
    var ints: [Int64] = []
    var reals: [Double] = []
    var texts = TextArena()
    var valid: [Bool] = []
    var nulls = 0
    var blobs = 0

    init(name: String, declared: String, reserve: Int) {
        self.name = name
        self.declared = declared
        ints.reserveCapacity(reserve)
        valid.reserveCapacity(reserve)
    }

    /// SQLite's affinity of a declared type (its rules, section 3.1 of "Datatypes In SQLite").
    var affinity: Mode? {
        let t = declared.uppercased()
        if t.contains("INT") { return .integer }
        if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") { return .text }
        if t.isEmpty || t.contains("BLOB") { return nil }
        if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") { return .real }
        return nil   // NUMERIC affinity: decided by the values
    }

    mutating func append(_ statement: OpaquePointer?, _ i: Int32) {
        switch sqlite3_column_type(statement, i) {
        case SQLITE_NULL:
            nulls += 1
            valid.append(false)
            switch mode {
            case .integer: ints.append(0)
            case .real: reals.append(0)
            case .text: texts.appendNull()
            }
            return
        case SQLITE_INTEGER:
            let v = sqlite3_column_int64(statement, i)
            switch mode {
            case .integer: ints.append(v)
            case .real: reals.append(Double(v))
            case .text: texts.append(String(v))
            }
        case SQLITE_FLOAT:
            let v = sqlite3_column_double(statement, i)
            if mode == .integer { toReal() }
            if mode == .real { reals.append(v) } else { texts.append(SQLiteColumn.spelled(v)) }
        default:
            // text, or a blob (read as its bytes' text, noted)
            if sqlite3_column_type(statement, i) == SQLITE_BLOB { blobs += 1 }
            if mode != .text { toText() }
            let n = Int(sqlite3_column_bytes(statement, i))
            if let p = sqlite3_column_text(statement, i) {
                texts.append(p, n)
            } else {
                texts.append("")
            }
        }
        valid.append(true)
    }

    mutating func toReal() {
        reals = ints.map(Double.init)
        ints = []
        mode = .real
    }

    mutating func toText() {
        texts.reserve(valid.count)
        switch mode {
        case .integer: for (v, ok) in zip(ints, valid) { texts.append(ok ? String(v) : nil) }
        case .real: for (v, ok) in zip(reals, valid) { texts.append(ok ? SQLiteColumn.spelled(v) : nil) }
        case .text: return
        }
        ints = []
        reals = []
        mode = .text
    }

    static func spelled(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(format: "%.1f", v) : "\(v)"
    }

    /// The column, and a note when its type came from mixed values.
    func finish() -> (Column, String?) {
        let validity = nulls > 0 ? Validity(valid) : nil
        let decl = declared.uppercased()
        switch mode {
        case .integer:
            if decl.contains("BOOL"), ints.allSatisfy({ $0 == 0 || $0 == 1 }) {
                return (Column(.boolean(ints.map { $0 == 1 }), validity: validity), nil)
            }
            return (Column(.integer(ints), validity: validity), nil)
        case .real:
            return (Column(.float(reals), validity: validity), nil)
        case .text:
            // text takes the narrowest type all its values fit, as a CSV column does: exports
            // (sqlite3's .import among them) declare every column TEXT
            let typed = TextColumn.typed(texts)
            var note: String?
            if blobs > 0 {
                note = "\(name): \(Value.grouped(blobs)) binary values (blobs) read as text"
            } else if typed.column.type == .string, affinity != .text, !declared.isEmpty {
                note = "\(name) is declared \(declared) but holds text: read as text"
            } else if typed.column.type != .string, affinity == .text {
                note = "\(name) is declared \(declared), and every value reads as \(typed.column.type.withArticle): read as \(typed.column.type)"
            } else if typed.ambiguousDates {
                note = "\(name): every day is 12 or less, so the dates were read day-first; to read them month-first, convert with date(\(name), \"mm/dd/yyyy\")"
            }
            return (typed.column, note)
        }
    }
}

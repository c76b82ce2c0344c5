/// What a user may fix instead of letting the reader guess. Every field left nil is sniffed.
public struct CSVOptions: Sendable, Hashable {
    /// Field separator; sniffed from `,` `;` tab `|`, and runs of blanks in aligned files.
    /// ``CSVOptions/whitespace`` (a space) means runs of spaces and tabs.
    public var delimiter: UInt8?
    /// Whether the first row names the columns; sniffed.
    public var header: Bool?
    /// Decimal mark of floats, `.` or `,`; sniffed (`,` only when the delimiter is not `,`).
    public var decimal: UInt8?
    /// How dates are written; sniffed per column from `yyyy-mm-dd`, `dd.mm.yyyy`, `dd/mm/yyyy`.
    public var dateFormat: DateFormat?
    /// Spellings of null (unquoted); default: empty, `NA`, `N/A`, `NULL`.
    public var nulls: [String]?
    /// Fixed types by column name; other columns are sniffed.
    public var types: [String: DataType]
    /// Text encoding of the file: UTF-8 (default) or Latin-1 / Windows-1252.
    public var encoding: TextEncoding
    /// Rows read to guess types, spread over the file.
    public var sampleRows: Int
    /// The columns to keep, in this order; nil keeps every column. The others are scanned
    /// (a row still needs all its fields) but not converted or stored.
    public var columns: [String]?

    public enum TextEncoding: String, Sendable, Hashable { case utf8, latin1 }

    public init(delimiter: UInt8? = nil, header: Bool? = nil, decimal: UInt8? = nil, dateFormat: DateFormat? = nil,
                nulls: [String]? = nil, types: [String: DataType] = [:], encoding: TextEncoding = .utf8, sampleRows: Int = 20_000,
                columns: [String]? = nil) {
        self.delimiter = delimiter
        self.header = header
        self.decimal = decimal
        self.dateFormat = dateFormat
        self.nulls = nulls
        self.types = types
        self.encoding = encoding
        self.sampleRows = sampleRows
        self.columns = columns
    }

    public static let defaultNulls = ["", "NA", "N/A", "NULL"]

    /// The delimiter of files whose fields are separated by runs of spaces or tabs.
    public static let whitespace = UInt8(ascii: " ")
}

/// What the reader decided about a file: the dialect and each column's type, so the shell can
/// say what it guessed (and the user can override any of it).
public struct CSVDialect: Sendable, Hashable {
    public var delimiter: UInt8
    public var header: Bool
    public var decimal: UInt8
    public var names: [String]
    public var types: [DataType]
    /// Date format per column (for date and timestamp columns).
    public var dateFormats: [DateFormat?]
    public var nulls: [String]
    public var hasBOM: Bool

    public var delimiterName: String {
        switch delimiter {
        case UInt8(ascii: ","): return "','"
        case UInt8(ascii: ";"): return "';'"
        case UInt8(ascii: "\t"): return "tab"
        case UInt8(ascii: "|"): return "'|'"
        case CSVOptions.whitespace: return "whitespace"
        default: return "'\(String(UnicodeScalar(delimiter)))'"
        }
    }
}

/// A loaded CSV file: the table, the dialect used, and notes worth telling the user
/// (renamed duplicate headers, widened column types).
public struct CSVLoad: Sendable {
    public var table: Table
    public var dialect: CSVDialect
    public var notes: [String]
}

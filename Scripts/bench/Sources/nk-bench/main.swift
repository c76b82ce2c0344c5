import NKEngine
import Foundation
let path = CommandLine.arguments[1]
let t0 = Date()
let load = try CSVReader.load(path: path)
print(Date().timeIntervalSince(t0), load.table.rowCount, load.table.schema, load.notes, load.dialect.delimiterName, load.dialect.decimal)
for i in 0..<min(3, load.table.rowCount) { print(load.table.row(i)) }

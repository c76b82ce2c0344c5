// Writes the demo data of Datasets/demo (see NKDemoData): a fictional mid-sized German supplier
// of fasteners and tooling. Deterministic: the same files, byte for byte, every time.
//
//     swift run nk-demo-data [OUTPUT_FOLDER]      (default Datasets/demo)
import Foundation
import NKDemoData

let output = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "Datasets/demo"
do {
    try DemoData.write(to: output)
    for file in DemoData.files() {
        let lines = file.contents.reduce(0) { $1 == "\n" || $1 == "\r\n" ? $0 + 1 : $0 } - 1
        print("\(output)/\(file.name): \(lines) rows")
    }
} catch {
    FileHandle.standardError.write(Data("nk-demo-data: cannot write \(output): \(error)\n".utf8))
    exit(1)
}

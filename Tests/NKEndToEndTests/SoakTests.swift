import Foundation
import NKTestSupport
import Testing

/// A short soak: `Scripts/soak.py` drives the real binary at its prompt (a pseudo-terminal)
/// through 500 generated statements on the demo data, with errors on purpose and interrupts
/// at random moments, and checks that nothing crashed or hung, that every error named its
/// place, and that memory came back after the drops. The long run (20,000 statements, the L
/// data) is `Scripts/soak.sh`, outside the tests.
@Suite(.enabled(if: TestPaths.python3 != nil || ProcessInfo.processInfo.environment["CI"] == "true",
                "python3 is missing: the soak is skipped"))
struct SoakTests {
    static var python: String? { TestPaths.python3 }

    @Test func fiveHundredStatementsAtThePrompt() throws {
        let python = try #require(Self.python, "python3 is needed for the soak")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.currentDirectoryURL = TestPaths.root
        process.arguments = ["Scripts/soak.py", "--nk", CommandLineTests.binary.path, "--statements", "500", "--seed", "11",
                             "--timeout", "120"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("statements: 500,"), "\(text)")
        #expect(text.contains("soak: passed"))
    }
}

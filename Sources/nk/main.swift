import Foundation
import NKShell

exit(NKCommandLine.run(Array(CommandLine.arguments.dropFirst())))

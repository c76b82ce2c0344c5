import Foundation
import NKShell

// a write past a file-size limit (ulimit -f) fails with an error nk reports, instead of
// killing nk with SIGXFSZ and leaving a half-written temporary file
signal(SIGXFSZ, SIG_IGN)
exit(NKCommandLine.run(Array(CommandLine.arguments.dropFirst())))

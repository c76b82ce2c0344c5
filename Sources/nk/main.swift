import Foundation
import NKEngine
import NKShell

// one allocator arena, set before any thread starts: a long session then gives back what it
// frees; large arrays from that arena too, reused from one statement to the next
FreedMemory.useOneArena()
FreedMemory.keepFreedMemoryForReuse()

// a write past a file-size limit (ulimit -f) fails with an error nk reports, instead of
// killing nk with SIGXFSZ and leaving a half-written temporary file
signal(SIGXFSZ, SIG_IGN)
// a parent may start nk with signals blocked (the mask is inherited); Ctrl-C, a closed
// terminal and `kill` must still reach it
var reaching = sigset_t()
sigemptyset(&reaching)
for s in [SIGINT, SIGHUP, SIGTERM, SIGQUIT] { sigaddset(&reaching, s) }
sigprocmask(SIG_UNBLOCK, &reaching, nil)
exit(NKCommandLine.run(Array(CommandLine.arguments.dropFirst())))

import CReadline
import Foundation
import NKEngine
import NKLanguage
import Synchronization

/// Set by the SIGINT handler; read by the prompt loop (which then clears the line) and, through
/// the engine's cancellation flag, by running statements.
let interruptRequested = Atomic<Bool>(false)

/// What readline's C callbacks reach: they cannot capture, so their state lives here.
nonisolated(unsafe) var readlineState = ReadlineState()

struct ReadlineState {
    /// The line readline finished, or nil at end of input.
    var line: String?
    var finished = false
    /// Completes words at the cursor (see ``Completer``).
    var completer: Completer?
    /// Lines of the statement typed before the current one (for completion's context).
    var pending = ""
}

/// The prompt: GNU readline (emacs and vi modes, `~/.inputrc` with `$if nk`, Ctrl-R), persistent
/// history, multi-line statements with a continuation prompt, context-aware completion,
/// Ctrl-C that clears the line or cancels the running statement, Ctrl-D that leaves.
public final class InteractiveShell {
    let shell: ShellSession
    let history: History

    public init(shell: ShellSession, historyPath: String?) {
        self.shell = shell
        history = History(path: historyPath)
        shell.history = history
    }

    enum Input {
        case line(String)
        case interrupted
        case end
    }

    private var prepared = false

    /// Sets up readline, history, completion and Ctrl-C, and offers step mode a way to ask.
    /// `run` does it too; `nk --step` does it before its script.
    public func prepare() {
        guard !prepared else { return }
        prepared = true
        nk_rl_set_readline_name("nk")
        nk_rl_set_catch_signals(0)
        readlineState.completer = Completer(session: shell.session)
        Completer.installInReadline()
        history.loadIntoReadline()
        installInterruptHandler()
        shell.stepInput = { [unowned self] prompt in
            readlineState.pending = ""
            interruptRequested.store(false, ordering: .relaxed)
            switch self.read(prompt: prompt) {
            case .line(let line): return line
            case .interrupted: FileHandle.standardOutput.write(Data("\n".utf8)); return "q"
            case .end: FileHandle.standardOutput.write(Data("\n".utf8)); return nil
            }
        }
    }

    /// Runs the prompt until Ctrl-D or `.quit`; returns the exit status.
    public func run(banner: String) -> Int32 {
        prepare()
        FileHandle.standardOutput.write(Data(banner.utf8))
        var pending: [String] = []
        while shell.exitRequest == nil {
            readlineState.pending = pending.isEmpty ? "" : pending.joined(separator: "\n") + "\n"
            switch read(prompt: pending.isEmpty ? "nk> " : "  > ") {
            case .end:
                if pending.isEmpty {
                    FileHandle.standardOutput.write(Data("\n".utf8))
                    return 0
                }
                pending = []
                FileHandle.standardOutput.write(Data("\n".utf8))
            case .interrupted:
                pending = []
                FileHandle.standardOutput.write(Data("\n".utf8))
            case .line(let line):
                // continuation lines are indented so a parenthesis stays open across them
                pending.append(pending.isEmpty || line.first == " " || line.first == "\t" ? line : "  " + line)
                let text = pending.joined(separator: "\n")
                let isDotCommand = pending.count == 1 && line.drop(while: { $0 == " " }).first == "."
                if !isDotCommand, !line.trimmingCharacters(in: .whitespaces).isEmpty, Lexer.needsMoreInput(text) { continue }
                pending = []
                if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { continue }
                history.add(text)
                interruptRequested.store(false, ordering: .relaxed)
                shell.session.context.cancellation.reset()
                let previousBail = shell.bail
                shell.bail = true
                let progress = isatty(2) != 0 ? ProgressLine(flag: shell.session.context.cancellation) : nil
                shell.beforeOutput = { progress?.finish() }
                shell.run(text, name: "<prompt>", baseDirectory: nil)
                progress?.finish()
                shell.beforeOutput = nil
                shell.bail = previousBail
                interruptRequested.store(false, ordering: .relaxed)
            }
        }
        return shell.exitRequest ?? 0
    }

    /// One line through readline's callback interface, polling standard input so a Ctrl-C
    /// can be handled outside the signal handler.
    private func read(prompt: String) -> Input {
        readlineState.line = nil
        readlineState.finished = false
        rl_callback_handler_install(prompt) { line in
            if let line {
                readlineState.line = String(cString: line)
                free(line)
            }
            readlineState.finished = true
            rl_callback_handler_remove()
        }
        while !readlineState.finished {
            if interruptRequested.exchange(false, ordering: .relaxed) {
                rl_free_line_state()
                rl_callback_sigcleanup()
                rl_callback_handler_remove()
                return .interrupted
            }
            var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 250)
            if ready > 0 { rl_callback_read_char() }
            if ready < 0 && errno != EINTR { rl_callback_handler_remove(); return .end }
        }
        guard let line = readlineState.line else { return .end }
        return .line(line)
    }

    private func installInterruptHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            interruptRequested.store(true, ordering: .relaxed)
            CancellationFlag.shared.cancel()
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: poll returns at once
        sigaction(SIGINT, &action, nil)
    }
}

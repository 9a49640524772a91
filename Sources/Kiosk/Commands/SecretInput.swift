import Foundation

/// Reads a secret (a PIN) from standard input: never from the command line, which `ps` and shell history show.
/// On a terminal it prompts on standard error with echo off and asks twice; from a pipe it reads one line.
enum SecretInput {
    enum Problem: Error, CustomStringConvertible {
        case nothingEntered
        case mismatch

        var description: String {
            switch self {
            case .nothingEntered:
                "no PIN on standard input; type it when asked, or pipe it in (read -s PIN; echo \"$PIN\" | kiosk ...)"
            case .mismatch: "the two PINs typed differ; nothing was changed"
            }
        }
    }

    static func read(prompt: String) throws(Problem) -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true) else { throw .nothingEntered }
            return line
        }
        let first = readHidden(prompt)
        guard let first, !first.isEmpty else { throw .nothingEntered }
        guard readHidden("Again, to confirm: ") == first else { throw .mismatch }
        return first
    }

    /// One line typed with the terminal's echo off, restored whatever happens.
    private static func readHidden(_ prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        let haveTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
        if haveTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if haveTerminal { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }
}

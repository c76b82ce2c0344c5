import Foundation

/// Facts about the terminal nk runs in.
enum Terminal {
    /// Columns of the terminal on standard output (80 when unknown).
    static func width() -> Int {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }

    /// `$XDG_CONFIG_HOME/nk/nkrc`, else `~/.config/nk/nkrc`.
    static func defaultInitFile(_ environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/nk/nkrc" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/nk/nkrc" }
        return nil
    }
}

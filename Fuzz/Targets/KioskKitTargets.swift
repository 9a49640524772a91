import KioskKit

extension FuzzTarget {
    /// A resident export from OpenSID, as `kiosk import residents` reads it.
    static let openSIDCSV = FuzzTarget("opensid-csv", "an OpenSID resident export (CSV)") { bytes in
        guard let result = try? OpenSIDExport.parse(bytes.text) else { return }
        let niks = result.rows.map(\.resident.nik.digits)
        require(Set(niks).count == niks.count, "one NIK taken from two rows")
        _ = result.rejected.map(\.description)
    }

    /// `kiosk.toml`. Relative paths in it resolve against a folder that does not exist, so a path the input
    /// names is never found, let alone written.
    static let configuration = FuzzTarget("configuration", "kiosk.toml") { bytes in
        do throws(ConfigurationError) {
            _ = try ConfigurationLoader.parse(bytes.text, file: "kiosk.toml", baseDirectory: "/nonexistent/kiosk-fuzz")
        } catch {
            require(!error.problems.isEmpty, "a configuration refused without a problem named")
            _ = error.description
        }
    }
}

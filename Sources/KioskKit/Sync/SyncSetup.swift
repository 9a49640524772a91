import Core
import Foundation
import ProvincialAPI

/// Wiring shared by `kiosk run`, `kiosk upload`, `kiosk status` and `kiosk enroll`: the identity the kiosk signs
/// and records as (the enrolled one when there is one, else the configured one), the record store and the client.
package struct SyncSetup: Sendable {
    let settings: KioskSettings
    let database: KioskDatabase
    package let deviceKey: DeviceKey
    package let enrollment: DeviceState.Enrolled?

    package init(settings: KioskSettings, database: KioskDatabase) throws {
        self.settings = settings
        self.database = database
        self.deviceKey = try DeviceKey.load(stateDirectory: settings.stateDirectory)
        self.enrollment = try DeviceState(database: database).enrollment()
    }

    /// The province's name for this kiosk: assigned at enrollment, else `[kiosk] id`.
    package var kioskID: String { enrollment?.kioskID ?? settings.kioskID }

    /// The API's base URL: `[api] url` when set, else the one the kiosk enrolled with.
    var apiURL: URL? { settings.api.url ?? enrollment?.url }

    package func recordStore() throws -> SQLiteRecordStore {
        SQLiteRecordStore(
            database: database, sealer: try RecordSealer.load(stateDirectory: settings.stateDirectory),
            kioskID: kioskID, village: settings.village, station: settings.station,
            diskGuard: DiskGuard(directory: settings.stateDirectory, minimumFreeMB: settings.records.minimumFreeMB))
    }

    /// A client that signs as the enrolled kiosk; `nil` without a URL or an enrollment (records then wait).
    package func client() throws -> ProvincialClient? {
        guard let url = apiURL, let enrollment else { return nil }
        return try ProvincialClient(
            baseURL: url,
            signer: .init(
                kioskID: enrollment.kioskID, key: deviceKey,
                serverKey: enrollment.serverKey.flatMap { Data(base64Encoded: $0) }),
            trustAnchor: settings.api.trustAnchor)
    }
}

import Core
import Crypto
import _CryptoExtras

/// scrypt's cost parameters, stored with every hash so they can be raised later without invalidating old PINs.
package struct ScryptParameters: Hashable, Sendable, CustomStringConvertible {
    /// CPU and memory cost (scrypt's N), a power of two; memory is 128 * n * r bytes.
    var n: Int
    /// Block size.
    var r: Int
    /// Parallelism.
    var p: Int

    /// N = 2^15, r = 8, p = 1: 32 MiB, freed again after each hash. Measured on the 2-core build machine with a
    /// release build calling `KDF.Scrypt.deriveKey` 21 times: median 85 ms per hash (83-106 ms); N = 2^14 took
    /// 32-41 ms, too little. Debug builds compile BoringSSL unoptimised and take about 750 ms.
    /// A six-digit PIN has only a million values, so no cost makes a stolen database safe on its own; this one
    /// makes every guess cost 85 ms and 32 MiB, while a resident waits no longer than a screen change.
    static let current = ScryptParameters(n: 1 << 15, r: 8, p: 1)

    package var description: String { "scrypt N=2^\(n.trailingZeroBitCount), r=\(r), p=\(p)" }

    /// Whether a hash with these parameters may be checked at all: N a power of two up to 2^16, r = 8, p = 1, so
    /// no row (damaged, or sent by a server) can ask a PIN check for more than 64 MiB or more time than a screen
    /// change. N = 2^20, r = 32, p = 16, which the kiosk once accepted, is a 4 GiB allocation inside a session.
    var isValid: Bool {
        n > 1 && n.nonzeroBitCount == 1 && n <= Self.largestN && r == 8 && p == 1
    }

    /// Whether the province may send hashes with these parameters (registry sync): the known sets only, N from
    /// 2^14 to 2^16 with r = 8 and p = 1.
    var isAcceptedFromProvince: Bool { isValid && n >= Self.smallestProvinceN }

    static let largestN = 1 << 16
    static let smallestProvinceN = 1 << 14
    /// What registry sync accepts, in words for its error lines.
    static let acceptedFromProvince = "scrypt N=2^14 to 2^16, r=8, p=1"
}

/// A PIN as the registry keeps it: scrypt of the digits with a random per-PIN salt. Never the PIN itself.
package struct PINHash: Sendable, Equatable {
    var hash: [UInt8]
    var salt: [UInt8]
    var parameters: ScryptParameters
    /// Whether `hash` is the scrypt output peppered (`PINPepper`), as every hash the registry stores is once
    /// peppered; `false` for a hash as OpenSID computes it.
    var peppered = false

    static let saltLength = 16
    static let hashLength = 32

    /// Hashes `pin` with a fresh salt, peppered when a pepper is given. Takes as long as `parameters` say: call it
    /// off the concurrency pool.
    static func make(_ pin: PIN, parameters: ScryptParameters = .current, pepper: PINPepper? = nil) throws -> PINHash {
        let salt = (0..<saltLength).map { _ in UInt8.random(in: .min ... .max) }
        let plain = PINHash(hash: try derive(pin, salt: salt, parameters: parameters), salt: salt, parameters: parameters)
        return pepper.map { plain.peppered(with: $0) } ?? plain
    }

    /// Whether `pin` is the PIN this hash was made from, compared in constant time. A peppered hash needs the
    /// pepper; without it nothing matches.
    func verifies(_ pin: PIN, pepper: PINPepper? = nil) throws -> Bool {
        let derived = try Self.derive(pin, salt: salt, parameters: parameters, length: hash.count)
        if peppered {
            guard let pepper else { return false }
            return ConstantTime.equals(pepper.apply(derived), hash)
        }
        return ConstantTime.equals(derived, hash)
    }

    /// This hash with the pepper mixed in; a hash peppered already stays as it is.
    func peppered(with pepper: PINPepper) -> PINHash {
        guard !peppered else { return self }
        return PINHash(hash: pepper.apply(hash), salt: salt, parameters: parameters, peppered: true)
    }

    static func derive(_ pin: PIN, salt: [UInt8], parameters: ScryptParameters, length: Int = hashLength) throws
        -> [UInt8]
    {
        // The digits as ASCII, as any other scrypt tool would hash a typed PIN.
        try deriveBytes(
            pin.digits.map { UInt8(ascii: "0") + min($0, 9) }, salt: salt, parameters: parameters, length: length)
    }

    static func deriveBytes(_ password: [UInt8], salt: [UInt8], parameters: ScryptParameters, length: Int) throws
        -> [UInt8]
    {
        guard parameters.isValid, (16...64).contains(length) else { throw PINHashError.badParameters }
        let key = try KDF.Scrypt.deriveKey(
            from: password, salt: salt, outputByteCount: length, rounds: parameters.n, blockSize: parameters.r,
            parallelism: parameters.p)
        return key.withUnsafeBytes { Array($0) }
    }
}

package enum PINHashError: Error, CustomStringConvertible {
    case badParameters

    package var description: String {
        "a stored PIN hash has scrypt parameters out of range; the database is damaged: set the PIN again"
    }
}

/// Comparison whose time does not depend on where two byte strings differ, so the time a wrong PIN takes to
/// be refused tells nothing about how close its hash came. Only the lengths (public: they are parameters) may
/// end it early.
package enum ConstantTime {
    static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

import Foundation
import RawStructuredFieldValues

/// The structured-field work both signatures of the contract share (RFC 9421 over RFC 9651 fields): a kiosk's on
/// its requests (`MessageSignature`) and the province's on its answers (`ResponseSignature`). Each keeps its own
/// label, components and parameters; reading and writing the two headers is the same.
enum SignatureFields {
    /// The inner list `("…" …);created=…` of `label` as it is serialised in `Signature-Input` (without `label=`).
    static func serialize(_ list: InnerList, label: String) throws -> String {
        var serializer = StructuredFieldValueSerializer()
        let field = try serializer.writeDictionaryFieldValue([label: .innerList(list)])
        return String(decoding: field.dropFirst(label.utf8.count + 1), as: UTF8.self)
    }

    /// `label`'s inner list in a `Signature-Input` header, with its serialisation: the signature base is rebuilt from
    /// the sender's own parameters, as RFC 9421 §3.2 asks. Nil when the header is not a dictionary with that label.
    static func input(_ header: String, label: String) -> (list: InnerList, serialized: String)? {
        var parser = StructuredFieldValueParser(Array(header.utf8))
        guard let dictionary = try? parser.parseDictionaryFieldValue(),
            case .innerList(let list) = dictionary[label],
            let serialized = try? serialize(list, label: label)
        else { return nil }
        return (list, serialized)
    }

    /// The covered component names of an inner list, with whether each has `;req`; nil if one is not a string.
    static func components(of list: InnerList) -> [(name: String, ofRequest: Bool)]? {
        var covered: [(name: String, ofRequest: Bool)] = []
        for item in list.bareInnerList {
            guard case .string(let name) = item.rfc9651BareItem else { return nil }
            covered.append((name, item.rfc9651Parameters["req"] == .bool(true)))
        }
        return covered
    }

    /// `label`'s signature bytes in a `Signature` header.
    static func signature(_ header: String, label: String) -> Data? {
        var parser = StructuredFieldValueParser(Array(header.utf8))
        guard let dictionary = try? parser.parseDictionaryFieldValue(),
            case .item(let item) = dictionary[label],
            case .undecodedByteSequence(let base64) = item.rfc9651BareItem
        else { return nil }
        return Data(base64Encoded: base64)
    }

    /// The two header values for a signature over `serialized` parameters.
    static func headers(label: String, serialized: String, signature: some DataProtocol)
        -> (signatureInput: String, signature: String)
    {
        ("\(label)=\(serialized)", "\(label)=:\(Data(signature).base64EncodedString()):")
    }
}

/// The envelope `event_id` of an output, derived from its input (SPEC §2, output identity):
/// processing the same input again yields the same id, so downstream deduplication holds
/// across crashes, rebalances and replays.
///
/// A name-based UUID, version 8 with SHA-256 (RFC 9562 §5.8 and its appendix B.2): the first
/// 16 bytes of SHA-256(namespace ‖ name), version and variant bits set. The name is the source
/// topic, partition, offset and the input's `event_id` (empty when it could not be read),
/// joined by NUL bytes (none of them can contain one where it matters: topics are ASCII).
public enum OutputIdentity {
    /// This project's namespace (fixed forever: changing it changes every id).
    static let namespace: [UInt8] = [
        0x6b, 0x1f, 0x3a, 0x52, 0x9c, 0x4e, 0x4d, 0x8a, 0xa0, 0x57, 0x2e, 0x61, 0x0d, 0xb4, 0x93, 0xc7,
    ]

    public static func eventID(topic: String, partition: Int32, offset: Int64, sourceEventID: String?) -> String {
        var name = namespace
        name.reserveCapacity(namespace.count + topic.utf8.count + 48 + (sourceEventID?.utf8.count ?? 0))
        name.append(contentsOf: topic.utf8)
        name.append(0)
        name.append(contentsOf: String(partition).utf8)
        name.append(0)
        name.append(contentsOf: String(offset).utf8)
        name.append(0)
        if let sourceEventID { name.append(contentsOf: sourceEventID.utf8) }
        var bytes = Array(SHA256.hash(name).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return uuidText(bytes)
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lower case.
    static func uuidText(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// Length-prefixed frames read from a byte stream that arrives in arbitrary pieces: a
/// big-endian `UInt32` length, then (for the zygote's frames) a big-endian `UInt32`
/// channel, then the payload.
struct FrameBuffer: Sendable {
    /// Whether each frame carries a channel after its length.
    let hasChannel: Bool
    /// The largest payload accepted; a longer announced length is a protocol violation.
    let maxPayload: Int
    private var bytes: [UInt8] = []
    private var start = 0

    /// An empty buffer.
    init(hasChannel: Bool, maxPayload: Int) {
        self.hasChannel = hasChannel
        self.maxPayload = maxPayload
    }

    /// The header's size in bytes.
    var headerSize: Int { hasChannel ? 8 : 4 }

    /// Adds bytes as they came.
    mutating func append(_ chunk: [UInt8]) {
        if start > 0 && start == bytes.count {
            bytes.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 1 << 20 {
            bytes.removeFirst(start)
            start = 0
        }
        bytes.append(contentsOf: chunk)
    }

    /// The next whole frame, nil until one has arrived; throws when a frame announces more
    /// than `maxPayload` bytes.
    mutating func next() throws(FrameError) -> (channel: UInt32, payload: [UInt8])? {
        guard bytes.count - start >= headerSize else { return nil }
        let length = Int(Self.readUInt32(bytes, at: start))
        guard length <= maxPayload else { throw FrameError(announced: length, limit: maxPayload) }
        let channel = hasChannel ? Self.readUInt32(bytes, at: start + 4) : 0
        guard bytes.count - start - headerSize >= length else { return nil }
        let payloadStart = start + headerSize
        let payload = Array(bytes[payloadStart..<payloadStart + length])
        start = payloadStart + length
        return (channel, payload)
    }

    /// A frame: length (and channel) then the payload.
    static func encode(_ payload: [UInt8], channel: UInt32? = nil) -> [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(payload.count + 8)
        appendUInt32(UInt32(payload.count), to: &frame)
        if let channel { appendUInt32(channel, to: &frame) }
        frame.append(contentsOf: payload)
        return frame
    }

    private static func readUInt32(_ bytes: [UInt8], at index: Int) -> UInt32 {
        UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
    }

    private static func appendUInt32(_ value: UInt32, to frame: inout [UInt8]) {
        frame.append(UInt8(truncatingIfNeeded: value >> 24))
        frame.append(UInt8(truncatingIfNeeded: value >> 16))
        frame.append(UInt8(truncatingIfNeeded: value >> 8))
        frame.append(UInt8(truncatingIfNeeded: value))
    }
}

/// A frame announced a payload over the limit.
struct FrameError: Error, Sendable, CustomStringConvertible {
    /// The length announced.
    let announced: Int
    /// The limit.
    let limit: Int

    var description: String { "a frame of \(announced) bytes (the limit is \(limit))" }
}

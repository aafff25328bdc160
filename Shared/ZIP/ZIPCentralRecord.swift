/// What the central directory says about one entry, kept from its writing until `finish`.
struct ZIPCentralRecord {
    /// The name's UTF-8 bytes.
    let name: [UInt8]
    /// The modification time.
    let timestamp: DOSTimestamp
    /// The CRC-32 of the uncompressed bytes.
    let crc: UInt32
    /// The size of the deflate stream.
    let compressedSize: UInt64
    /// The size of the file.
    let uncompressedSize: UInt64
    /// Where the entry's local header starts.
    let localHeaderOffset: UInt64
    /// True when the entry was written in ZIP64 form (ZIP64 extra field in the local
    /// header, 8-byte sizes in its data descriptor); its central sizes are then ZIP64 too.
    let zip64: Bool
}

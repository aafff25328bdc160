/// One `multipart/form-data` part read whole: its head and its body.
public struct MultipartPart: Sendable, Equatable {
    /// The part's headers, name and file name.
    public var head: MultipartPartHead
    /// The part's body bytes.
    public var body: [UInt8]

    /// A part of this head and body.
    public init(head: MultipartPartHead, body: [UInt8]) {
        self.head = head
        self.body = body
    }
}

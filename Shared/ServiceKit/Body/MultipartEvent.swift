/// What `MultipartParser.next()` reports, in body order: a part's head, its body in one or
/// more chunks (possibly none for an empty part), then its end.
public enum MultipartEvent: Sendable, Equatable {
    /// A part begins; its header block was valid.
    case part(MultipartPartHead)
    /// The next bytes of the current part's body.
    case body([UInt8])
    /// The current part's body is complete.
    case partEnd
}

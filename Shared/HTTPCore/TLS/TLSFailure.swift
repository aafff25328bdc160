/// Why an HTTPS connection failed (`HTTPClientError.tls`). None of these is a timeout:
/// a gateway answers them with 502.
public enum TLSFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server's chain does not lead to a trusted CA (self-signed, unknown issuer, ...);
    /// OpenSSL's reason.
    case certificateUntrusted(String)
    /// The certificate does not name the host (or IP address) that was asked for.
    case hostnameMismatch(String)
    /// The certificate (or one in its chain) has expired.
    case expired
    /// The certificate (or one in its chain) is not valid yet.
    case notYetValid
    /// The handshake failed otherwise (no common version or cipher, an alert, the peer
    /// closed); OpenSSL's reason.
    case handshakeFailed(String)
    /// A protocol error after the handshake (a bad record, an alert); OpenSSL's reason.
    case protocolError(String)
    /// The TLS settings could not be applied (a CA file that does not load, ...).
    case configuration(String)

    public var description: String {
        switch self {
        case .certificateUntrusted(let m): "certificate not trusted: \(m)"
        case .hostnameMismatch(let h): "certificate does not match host \(h)"
        case .expired: "certificate expired"
        case .notYetValid: "certificate not yet valid"
        case .handshakeFailed(let m): "handshake failed: \(m)"
        case .protocolError(let m): "protocol error: \(m)"
        case .configuration(let m): "configuration: \(m)"
        }
    }
}

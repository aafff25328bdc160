#if canImport(Glibc)
import Glibc
#endif
import COpenSSL

/// One client TLS session (`SSL`) over a connected non-blocking socket: the handshake
/// with SNI and host-name (or IP address) verification, then record reads and writes.
/// Never blocks: each call reports what it waits for (`SSL_ERROR_WANT_READ/WRITE`) and
/// the connection's event loop calls again when the socket is ready. Confined to that
/// loop's thread, like its connection.
final class TLSSession {
    /// How far a handshake step got.
    enum HandshakeStep {
        /// The session is established and verified.
        case done
        /// Waiting for the socket to become readable.
        case wantRead
        /// Waiting for the socket to become writable.
        case wantWrite
        /// The handshake failed; the session is unusable.
        case failed(TLSFailure)
    }

    private let ssl: OpaquePointer
    /// Keeps the `SSL_CTX` and the BIO method alive as long as the session.
    private let context: TLSContext
    private let host: String
    /// A fatal error happened: OpenSSL forbids `SSL_shutdown` afterwards.
    private var broken = false

    /// A session for `host` (a DNS name, or an IPv4/IPv6 literal without brackets) on `fd`,
    /// which the caller keeps owning and closes after `close()`.
    init(context: TLSContext, fd: Int32, host: String) throws(TLSFailure) {
        ERR_clear_error()
        guard let ssl = SSL_new(context.context) else { throw .configuration("SSL_new: \(TLSContext.drainErrors())") }
        guard let bio = copenssl_socket_bio_new(context.socketMethod, fd) else {
            SSL_free(ssl)
            throw .configuration("BIO_new: \(TLSContext.drainErrors())")
        }
        SSL_set_bio(ssl, bio, bio)
        SSL_set_connect_state(ssl)
        self.ssl = ssl
        self.context = context
        self.host = host
        if TLSSession.isIPLiteral(host) {
            // No SNI for addresses (RFC 6066); the certificate must list the address as an IP SAN.
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else {
                throw .configuration("IP address \(host): \(TLSContext.drainErrors())")
            }
        } else {
            SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            guard copenssl_set_server_name(ssl, host) == 1, SSL_set1_host(ssl, host) == 1 else {
                throw .configuration("host name \(host): \(TLSContext.drainErrors())")
            }
        }
    }

    deinit { SSL_free(ssl) }

    /// Advances the handshake as far as the socket allows.
    func handshake() -> HandshakeStep {
        ERR_clear_error()
        let rc = SSL_do_handshake(ssl)
        if rc == 1 { return .done }
        let code = SSL_get_error(ssl, rc)
        let err = errno
        switch code {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        default:
            broken = true
            return .failed(handshakeFailure(code, errno: err))
        }
    }

    /// Why the handshake failed: the verification result first, then OpenSSL's reasons.
    private func handshakeFailure(_ code: Int32, errno err: Int32) -> TLSFailure {
        let verify = Int32(truncatingIfNeeded: SSL_get_verify_result(ssl))
        if verify != X509_V_OK {
            ERR_clear_error()
            switch verify {
            case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH: return .hostnameMismatch(host)
            case X509_V_ERR_CERT_HAS_EXPIRED: return .expired
            case X509_V_ERR_CERT_NOT_YET_VALID: return .notYetValid
            default: return .certificateUntrusted(String(cString: X509_verify_cert_error_string(Int(verify))))
            }
        }
        if code == SSL_ERROR_SYSCALL || code == SSL_ERROR_ZERO_RETURN {
            let queued = ERR_peek_error() != 0 ? TLSContext.drainErrors() : nil
            if let queued { return .handshakeFailed(queued) }
            return .handshakeFailed(err == 0 ? "connection closed by the peer" : SystemError("handshake", code: err).description)
        }
        return .handshakeFailed(TLSContext.drainErrors())
    }

    /// Reads decrypted bytes into `buffer`.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportReceive {
        ERR_clear_error()
        let n = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        if n > 0 { return .bytes(Int(n)) }
        let code = SSL_get_error(ssl, n)
        let err = errno
        switch code {
        case SSL_ERROR_WANT_READ: return .wouldBlock(wantsWrite: false)
        case SSL_ERROR_WANT_WRITE: return .wouldBlock(wantsWrite: true)
        case SSL_ERROR_ZERO_RETURN: return .closed  // close_notify, or a plain close (see the context's options)
        case SSL_ERROR_SYSCALL:
            broken = true
            if err == 0 { return .closed }
            return .failed(err == ECONNRESET ? .remoteClosed : .ioError(SystemError("recv", code: err).description))
        default:
            broken = true
            return .failed(.tls(.protocolError(TLSContext.drainErrors())))
        }
    }

    /// Encrypts and sends `buffer[offset...]` until all is sent or the socket would block,
    /// advancing `offset`.
    func write(_ buffer: [UInt8], _ offset: inout Int) -> TransportSend {
        buffer.withUnsafeBytes { bytes -> TransportSend in
            while offset < bytes.count {
                ERR_clear_error()
                let n = SSL_write(ssl, bytes.baseAddress! + offset, Int32(clamping: bytes.count - offset))
                if n > 0 { offset += Int(n); continue }
                let code = SSL_get_error(ssl, n)
                let err = errno
                switch code {
                case SSL_ERROR_WANT_WRITE: return .wouldBlock(wantsRead: false)
                case SSL_ERROR_WANT_READ: return .wouldBlock(wantsRead: true)
                case SSL_ERROR_SYSCALL, SSL_ERROR_ZERO_RETURN:
                    broken = true
                    if err == 0 || err == EPIPE || err == ECONNRESET { return .peerGone }
                    return .failed(.ioError(SystemError("send", code: err).description))
                default:
                    broken = true
                    return .failed(.tls(.protocolError(TLSContext.drainErrors())))
                }
            }
            return .drained
        }
    }

    /// Decrypted bytes OpenSSL holds that the socket will not announce again.
    var hasBufferedInput: Bool { SSL_pending(ssl) > 0 }

    /// Sends close_notify if the session is intact and the socket takes it now (best
    /// effort: the peer's answer is not awaited). The caller closes the socket after.
    func shutdown() {
        guard !broken, SSL_is_init_finished(ssl) == 1 else { return }
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
        broken = true
    }

    /// Whether `host` is an IPv4 or IPv6 address literal.
    static func isIPLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

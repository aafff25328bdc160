import COpenSSL

/// An OpenSSL client context (`SSL_CTX`) built from a `TLSConfiguration`: peer
/// verification against the configured trust, the minimum version, ALPN `http/1.1`,
/// and the socket BIO method its sessions use. Immutable once built, so sessions are
/// created from it on any event loop.
final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer
    let socketMethod: OpaquePointer

    init(_ configuration: TLSConfiguration) throws(TLSFailure) {
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw .configuration("SSL_CTX_new: \(TLSContext.drainErrors())")
        }
        guard let method = copenssl_socket_method_new() else {
            SSL_CTX_free(context)
            throw .configuration("BIO_meth_new: \(TLSContext.drainErrors())")
        }
        self.context = context
        self.socketMethod = method
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        copenssl_ctx_set_client_modes(context)
        let version = configuration.minimumVersion == .tls1_3 ? TLS1_3_VERSION : TLS1_2_VERSION
        guard copenssl_ctx_set_min_version(context, version) == 1 else {
            throw .configuration("minimum version: \(TLSContext.drainErrors())")
        }
        if configuration.trustSystemStore {
            // The default file and directory; SSL_CERT_FILE / SSL_CERT_DIR replace them.
            guard SSL_CTX_set_default_verify_paths(context) == 1 else {
                throw .configuration("system trust store: \(TLSContext.drainErrors())")
            }
        }
        if let file = configuration.additionalCAFile {
            guard SSL_CTX_load_verify_locations(context, file, nil) == 1 else {
                throw .configuration("CA file \(file): \(TLSContext.drainErrors())")
            }
        }
        let alpn: [UInt8] = [8] + Array("http/1.1".utf8)
        guard SSL_CTX_set_alpn_protos(context, alpn, UInt32(alpn.count)) == 0 else {  // 0 is success here
            throw .configuration("ALPN: \(TLSContext.drainErrors())")
        }
    }

    deinit {
        SSL_CTX_free(context)
        BIO_meth_free(socketMethod)
    }

    /// OpenSSL's queued errors of this thread as one line (the queue is emptied).
    static func drainErrors() -> String {
        var reasons: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.isEmpty ? "unknown error" : reasons.joined(separator: "; ")
    }
}

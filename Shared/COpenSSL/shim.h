#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <openssl/bio.h>
#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>

/* Calls Swift cannot make: these are macros (over SSL_ctrl and BIO flags) or use 64-bit
 * option macros the importer skips. */

/** Sends `name` as the TLS server name (SNI). */
static inline int copenssl_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/** Sets the lowest protocol version (`TLS1_2_VERSION`, `TLS1_3_VERSION`). */
static inline int copenssl_ctx_set_min_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

/** Client settings that are macros: partial writes from a buffer that may move between
 * retries (Swift arrays do), and a peer closing without close_notify read as end of stream
 * (the HTTP framing says whether the message was complete). */
static inline void copenssl_ctx_set_client_modes(SSL_CTX *ctx) {
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
}

/* A socket BIO like OpenSSL's own, but sending with MSG_NOSIGNAL: a peer that reset the
 * connection must give EPIPE, not a SIGPIPE that ends the process. The descriptor is the
 * BIO's data; the caller owns (and closes) it. */

static int copenssl_socket_write(BIO *bio, const char *bytes, int count) {
    int fd = (int)(intptr_t)BIO_get_data(bio);
    ssize_t n;
    BIO_clear_retry_flags(bio);
    do { n = send(fd, bytes, (size_t)count, MSG_NOSIGNAL); } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) BIO_set_retry_write(bio);
    return (int)n;
}

static int copenssl_socket_read(BIO *bio, char *bytes, int count) {
    int fd = (int)(intptr_t)BIO_get_data(bio);
    ssize_t n;
    BIO_clear_retry_flags(bio);
    do { n = recv(fd, bytes, (size_t)count, 0); } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) BIO_set_retry_read(bio);
    return (int)n;
}

static long copenssl_socket_ctrl(BIO *bio, int command, long number, void *pointer) {
    (void)bio; (void)number; (void)pointer;
    return command == BIO_CTRL_FLUSH ? 1 : 0;
}

static int copenssl_socket_create(BIO *bio) {
    BIO_set_init(bio, 1);
    return 1;
}

/** The method of the MSG_NOSIGNAL socket BIO (free with BIO_meth_free after its BIOs). */
static inline BIO_METHOD *copenssl_socket_method_new(void) {
    BIO_METHOD *method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "httpcore socket");
    if (method == NULL) return NULL;
    BIO_meth_set_write(method, copenssl_socket_write);
    BIO_meth_set_read(method, copenssl_socket_read);
    BIO_meth_set_ctrl(method, copenssl_socket_ctrl);
    BIO_meth_set_create(method, copenssl_socket_create);
    return method;
}

/** A BIO of `method` over the non-blocking socket `fd`. */
static inline BIO *copenssl_socket_bio_new(BIO_METHOD *method, int fd) {
    BIO *bio = BIO_new(method);
    if (bio != NULL) BIO_set_data(bio, (void *)(intptr_t)fd);
    return bio;
}

#endif

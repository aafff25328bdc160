#!/usr/bin/env python3
"""A small HTTPS/1.1 server on loopback for the client's TLS tests (stdlib only).

    tls_peer.py --cert CERT.pem --key KEY.pem [--host 127.0.0.1] [--port 0]

Prints `PORT <n>` once listening and serves until its standard input closes (so it
never outlives the test that started it). Keep-alive like any HTTP/1.1 server. Routes:

    GET  /hello           "hello"
    POST /echo            the request body
    GET  /connections     how many TLS connections completed a handshake so far
    GET  /info            "alpn=<protocol> version=<TLS version> sni=<server name or ->"
    GET  /stream?n=N&size=S  a chunked body: N chunks of S bytes (chunk i filled with 'a'+i%26)
    GET  /events          server-sent events 1..3; each after the first waits for GET /release
    GET  /release         lets /events send its next event
"""
import argparse
import http.server
import socket
import socketserver
import ssl
import sys
import threading
from urllib.parse import parse_qs, urlparse


class Peer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, context):
        self.context = context
        self.handshakes = 0
        self.lock = threading.Lock()
        self.release = threading.Semaphore(0)
        super().__init__(address, Handler)

    def finish_request(self, request, client_address):
        # The handshake runs on the connection's own thread, not the accepting one.
        # No Nagle: a response's head and body go out as separate records.
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # the client refused the certificate (the tests that expect that)
        with self.lock:
            self.handshakes += 1
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            try:
                tls.close()
            except OSError:
                pass


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, body, content_type="text/plain"):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if url.path == "/hello":
            self.reply(b"hello")
        elif url.path == "/connections":
            with self.server.lock:
                count = self.server.handshakes
            self.reply(str(count).encode())
        elif url.path == "/info":
            conn = self.connection
            info = "alpn=%s version=%s sni=%s" % (conn.selected_alpn_protocol(), conn.version(),
                                                  getattr(conn, "server_name", None) or "-")
            self.reply(info.encode())
        elif url.path == "/stream":
            count = int(query.get("n", ["4"])[0])
            size = int(query.get("size", ["1000"])[0])
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(count):
                self.chunk(bytes([97 + i % 26]) * size)
            self.wfile.write(b"0\r\n\r\n")
        elif url.path == "/events":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(1, 4):
                if i > 1 and not self.server.release.acquire(timeout=30):
                    break
                self.chunk(b"id: %d\ndata: event %d\n\n" % (i, i))
            self.wfile.write(b"0\r\n\r\n")
        elif url.path == "/release":
            self.server.release.release()
            self.reply(b"released")
        else:
            self.send_error(404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if urlparse(self.path).path == "/echo":
            self.reply(body, self.headers.get("Content-Type", "application/octet-stream"))
        else:
            self.send_error(404)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    context.set_alpn_protocols(["http/1.1"])

    def remember_name(connection, name, _context):
        connection.server_name = name

    context.sni_callback = remember_name
    Peer.address_family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    server = Peer((args.host, args.port), context)
    print("PORT %d" % server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # until the test closes our standard input (or exits)
    server.shutdown()


if __name__ == "__main__":
    main()

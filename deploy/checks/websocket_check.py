#!/usr/bin/env python3
"""Python's `websockets` (a strict RFC 6455 implementation) as the outside peer of our
WebSocket code, in both roles.

    websocket_check.py client ws://127.0.0.1:PORT
        Runs the client scenario against our echo server (paths /echo; a text
        "close:<code>" makes it close with that code and the reason "as asked").
        Prints "ok: ..." per check, "FAIL: ..." on a failed one; exit status 1 if any.

    websocket_check.py server
        Serves on 127.0.0.1 (port printed as "PORT n"), until stdin closes:
        /echo echoes, /close/<code> closes with <code> "server bye" after one message,
        /invalid-utf8 sends a text frame that is not UTF-8, /fragments sends two
        fragmented messages, /ping pings and reports the pong as a message.
        Prints "SERVER <path> close <code> <reason>" when each connection ends.
"""
import sys
import threading

from websockets.exceptions import ConnectionClosed

MIB = 1024 * 1024
SIZES = [1, 125, 126, 65535, 65536, MIB, 16 * MIB]
failures = []
print_lock = threading.Lock()


def report(line):
    with print_lock:
        print(line, flush=True)


def check(ok, what):
    report(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def text_of(size):
    """A text of exactly `size` UTF-8 bytes, mostly two-byte characters."""
    return "é" * (size // 2) + "a" * (size % 2)


def bytes_of(size):
    return bytes((index * 31 + 7) & 0xFF for index in range(min(size, 256))) * (size // 256) + \
        bytes((index * 31 + 7) & 0xFF for index in range(size % 256))


def close_status(ws):
    return ws.protocol.close_code, ws.protocol.close_reason


def run_client(base):
    from websockets.sync.client import connect
    options = dict(max_size=None, compression=None, open_timeout=60, close_timeout=10)

    with connect(base + "/echo", **options) as ws:
        for size in SIZES:
            text = text_of(size)
            ws.send(text)
            check(ws.recv(timeout=60) == text, f"text echo {size} B")
            data = bytes_of(size)
            ws.send(data)
            check(ws.recv(timeout=60) == data, f"binary echo {size} B")
        ws.send(["frag", "mént", "ed ✓"])
        check(ws.recv(timeout=60) == "fragménted ✓", "fragmented text echo")
        ws.send([b"ab", b"", b"cd"])
        check(ws.recv(timeout=60) == b"abcd", "fragmented binary echo")
        # A character split across two fragments is valid.
        with ws.send_context():
            ws.protocol.send_text("é".encode()[:1], fin=False)
            ws.protocol.send_continuation("é".encode()[1:], fin=True)
        check(ws.recv(timeout=60) == "é", "character split across fragments")
        pong = ws.ping(b"are you there")
        check(pong.wait(60), "pong to our ping")
        ws.close(4002, "client bye")
        check(close_status(ws) == (4002, "client bye"), f"client close 4002 echoed: {close_status(ws)}")

    with connect(base + "/echo", **options) as ws:
        ws.send("close:4001")
        try:
            ws.recv(timeout=60)
            check(False, "server close 4001: a message instead of the close")
        except ConnectionClosed:
            pass
        check(close_status(ws) == (4001, "as asked"), f"server close 4001: {close_status(ws)}")

    with connect(base + "/echo", **options) as ws:
        try:
            ws.send(bytes(16 * MIB + 1))
            ws.recv(timeout=60)
        except ConnectionClosed:
            pass
        check(close_status(ws)[0] == 1009, f"oversize message closed with 1009: {close_status(ws)}")

    with connect(base + "/echo", **options) as ws:
        try:
            with ws.send_context():
                ws.protocol.send_text(b"ok \xc3\x28")
            ws.recv(timeout=60)
        except ConnectionClosed:
            pass
        check(close_status(ws)[0] == 1007, f"invalid UTF-8 closed with 1007: {close_status(ws)}")

    with connect(base + "/echo", **options) as ws:
        try:
            with ws.send_context():
                ws.protocol.send_text(b"\xe2\x82", fin=False)
                ws.protocol.send_continuation(b"", fin=True)
            ws.recv(timeout=60)
        except ConnectionClosed:
            pass
        check(close_status(ws)[0] == 1007, f"text ending mid-character closed with 1007: {close_status(ws)}")


def run_server():
    from websockets.sync.server import serve

    active = threading.Condition()
    open_connections = [0]

    def handler(ws):
        with active:
            open_connections[0] += 1
        try:
            serve_one(ws)
        finally:
            with active:
                open_connections[0] -= 1
                active.notify_all()

    def serve_one(ws):
        path = ws.request.path
        try:
            if path == "/echo":
                for message in ws:
                    ws.send(message)
            elif path.startswith("/close/"):
                ws.recv()
                ws.close(int(path[len("/close/"):]), "server bye")
            elif path == "/invalid-utf8":
                with ws.send_context():
                    ws.protocol.send_text(b"bad \xed\xa0\x80")
                for _ in ws:
                    pass
            elif path == "/fragments":
                ws.send(["frag", "mented ✓"])
                ws.send([b"ab", b"cd"])
                for _ in ws:
                    pass
            elif path == "/ping":
                pong = ws.ping(b"hello client")
                ws.send("pong ok" if pong.wait(60) else "no pong")
                for _ in ws:
                    pass
        except ConnectionClosed:
            pass
        code, reason = close_status(ws)
        report(f"SERVER {path} close {code} {reason}")

    with serve(handler, "127.0.0.1", 0, max_size=16 * MIB, compression=None) as server:
        report(f"PORT {server.socket.getsockname()[1]}")
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        sys.stdin.read()
        # Let the connections still closing finish (and report) first.
        with active:
            active.wait_for(lambda: open_connections[0] == 0, timeout=60)
        server.shutdown()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "client":
        run_client(sys.argv[2])
        report(f"{len(failures)} failed")
        sys.exit(1 if failures else 0)
    elif len(sys.argv) == 2 and sys.argv[1] == "server":
        run_server()
    else:
        print(__doc__)
        sys.exit(2)

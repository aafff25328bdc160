#!/usr/bin/env python3
"""Outside checkers on a running server: Python's h11 as a strict HTTP/1.1 client and
redbot as a linter. Exits non-zero on any protocol error (h11) or any BAD note (redbot).

    protocol_check.py http://127.0.0.1:PORT  [--paths /ping,/json] [--echo /echo]
"""
import argparse, json, socket, subprocess, sys, os
from urllib.parse import urlparse

import h11


def exchange(sock, conn, method, target, headers, body=None, chunked=False):
    hdrs = [("Host", "localhost")] + headers
    if body is not None and not chunked:
        hdrs.append(("Content-Length", str(len(body))))
    if chunked:
        hdrs.append(("Transfer-Encoding", "chunked"))
    sock.sendall(conn.send(h11.Request(method=method, target=target, headers=hdrs)))
    if body is not None:
        if chunked:
            for i in range(0, len(body), 7):
                sock.sendall(conn.send(h11.Data(data=body[i:i + 7])))
        else:
            sock.sendall(conn.send(h11.Data(data=body)))
    sock.sendall(conn.send(h11.EndOfMessage()))
    response, data = None, b""
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            chunk = sock.recv(65536)
            conn.receive_data(chunk)
            continue
        if isinstance(event, h11.InformationalResponse):
            continue
        if isinstance(event, h11.Response):
            response = event
        elif isinstance(event, h11.Data):
            data += event.data
        elif isinstance(event, h11.EndOfMessage):
            return response, data
        elif isinstance(event, h11.ConnectionClosed):
            raise h11.RemoteProtocolError("closed mid-response")


def h11_checks(host, port, paths, echo):
    failures = []
    sock = socket.create_connection((host, port), timeout=60)
    conn = h11.Connection(h11.CLIENT)
    scenarios = [("GET", p, [], None, False) for p in paths]
    scenarios += [("HEAD", paths[0], [], None, False), ("GET", "/definitely-missing", [], None, False)]
    if echo:
        scenarios += [("POST", echo, [("Content-Type", "application/json")], b'{"text":"h11 check"}', False),
                      ("POST", echo, [("Content-Type", "application/json")], b'{"text":"chunked upload from h11"}', True)]
    for method, target, headers, body, chunked in scenarios:
        try:
            resp, data = exchange(sock, conn, method, target, headers, body, chunked)
            print(f"h11 ok: {method} {target} -> {resp.status_code} ({len(data)} bytes)")
            if resp.status_code >= 500:
                failures.append(f"{method} {target}: status {resp.status_code}")
            if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                sock.close()
                sock = socket.create_connection((host, port), timeout=60)
                conn = h11.Connection(h11.CLIENT)
            else:
                conn.start_next_cycle()
        except h11.ProtocolError as e:
            failures.append(f"h11 {method} {target}: {e}")
            sock.close()
            sock = socket.create_connection((host, port), timeout=60)
            conn = h11.Connection(h11.CLIENT)
    sock.close()
    return failures


def redbot_checks(base, paths):
    failures = []
    redbot = os.path.join(os.path.dirname(sys.executable), "redbot")
    for p in paths:
        out = subprocess.run([redbot, "-o", "har", base + p], capture_output=True, text=True, timeout=60)
        try:
            notes = json.loads(out.stdout)["log"]["entries"][0]["_red_messages"]
        except Exception:
            failures.append(f"redbot {p}: no report ({out.stderr.strip()[:200]})")
            continue
        bad = [n for n in notes if n["level"] == "BAD"]
        warn = [n["note_id"] for n in notes if n["level"] == "WARN"]
        print(f"redbot {p}: {len(notes)} notes, {len(bad)} bad, warnings: {warn}")
        failures += [f"redbot {p}: {n['note_id']}: {n['summary']}" for n in bad]
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--paths", default="/ping,/json,/health")
    ap.add_argument("--echo", default="/echo")
    a = ap.parse_args()
    u = urlparse(a.base)
    paths = a.paths.split(",")
    failures = h11_checks(u.hostname, u.port, paths, a.echo) + redbot_checks(a.base.rstrip("/"), paths)
    for f in failures:
        print("FAIL", f)
    print(f"{0 if failures else 1} passed, {1 if failures else 0} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# HTTPS client benchmark: bench-client (our pooled HTTPClient, then URLSession, same run,
# same keep-alive callers) against two TLS servers on loopback:
#   nginx  - terminates TLS in C, fast enough not to be the bottleneck (needs `nginx`;
#            Debian: apt-get install nginx)
#   python - the tests' peer (deploy/checks/tls_peer.py): the bottleneck, shown for reference
# A throw-away CA (openssl) is trusted by our client through bench-client --ca-file. URLSession
# on Linux reads only the system bundle (/etc/ssl/certs/ca-certificates.crt), so bench-client
# runs in a private mount namespace where that file is the system bundle plus the test CA
# (unshare + bind mount: needs root; the machine's own file is untouched).
#
#   deploy/bench/client-tls.sh [--seconds S] [--concurrency N]    (defaults 3 and 32)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
seconds=3
concurrency=32
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --concurrency) concurrency="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

cd "$ROOT"
swift build -c release --product bench-client >/dev/null
bench="$ROOT/.build/release/bench-client"
python="${TEST_PYTHON:-/usr/bin/python3}"

tmp="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
openssl req -x509 "${ec[@]}" -keyout "$tmp/ca.key" -out "$tmp/ca.pem" -days 1 -subj "/CN=bench CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
openssl req "${ec[@]}" -keyout "$tmp/leaf.key" -out "$tmp/leaf.csr" -subj "/CN=bench" 2>/dev/null
printf "subjectAltName=DNS:localhost,IP:127.0.0.1\n" > "$tmp/leaf.ext"
openssl x509 -req -in "$tmp/leaf.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
    -out "$tmp/leaf.pem" -days 1 -extfile "$tmp/leaf.ext" 2>/dev/null

system_bundle=/etc/ssl/certs/ca-certificates.crt
cat "$system_bundle" "$tmp/ca.pem" > "$tmp/bundle.pem"
# Runs bench-client with the bundle above in place of the system one (this process only).
run_bench() {
    if unshare -m true 2>/dev/null; then
        unshare -m sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh "$tmp/bundle.pem" "$system_bundle" \
            "$bench" "$@" --ca-file "$tmp/ca.pem" --seconds "$seconds" --concurrency "$concurrency"
    else
        echo "(no unshare: URLSession will not trust the test CA)"
        "$bench" "$@" --ca-file "$tmp/ca.pem" --seconds "$seconds" --concurrency "$concurrency"
    fi
}

free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

echo "# bench-client over HTTPS: ${seconds} s per client, ${concurrency} keep-alive callers, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v nginx >/dev/null; then
    port="$(free_port)"
    cat > "$tmp/nginx.conf" <<EOF
worker_processes 1; pid $tmp/nginx.pid; error_log $tmp/nginx-error.log warn; daemon off;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 10000000;
    keepalive_timeout 60s;
    server {
        listen 127.0.0.1:$port ssl;
        ssl_certificate $tmp/leaf.pem;
        ssl_certificate_key $tmp/leaf.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / { return 200 "hello"; }
    }
}
EOF
    nginx -c "$tmp/nginx.conf" -p "$tmp" >/dev/null 2>&1 &
    pids+=($!)
    wait_port "$port"
    echo "## nginx $(nginx -v 2>&1 | cut -d/ -f2) (1 worker), https://127.0.0.1:$port/"
    run_bench "https://127.0.0.1:$port/"
else
    echo "## nginx not installed: skipped"
fi

exec 4> >("$python" "$ROOT/deploy/checks/tls_peer.py" --cert "$tmp/leaf.pem" --key "$tmp/leaf.key" > "$tmp/peer.out")
sleep 0.5
for _ in $(seq 100); do grep -q PORT "$tmp/peer.out" 2>/dev/null && break; sleep 0.1; done
port="$(sed -n 's/^PORT //p' "$tmp/peer.out")"
echo "## python tls_peer.py (ThreadingHTTPServer + ssl), https://127.0.0.1:$port/hello"
run_bench "https://127.0.0.1:$port/hello"
exec 4>&-

#!/usr/bin/env python3
"""A local LLM upstream on loopback that speaks the OpenAI and Anthropic APIs (stdlib only),
for the bridge's tests and benchmark.

    llm_upstream.py [--host 127.0.0.1] [--port 0] [--cert CERT.pem --key KEY.pem] [--forever]

Prints `PORT <n>` once listening and serves until its standard input closes (so it never
outlives the test that started it), or forever with --forever. HTTPS with --cert/--key.

Routes (OpenAI base URL `http://host:port/v1`, Anthropic base URL `http://host:port`):

    POST /v1/chat/completions   OpenAI chat, streamed (SSE) when "stream": true
    POST /v1/completions        OpenAI legacy completions (fill in the middle), streamed or not
    POST /v1/messages           Anthropic messages, streamed or not
    GET  /v1/models             a model list (Anthropic's shape when anthropic-version is sent)
    GET  /_requests             every request received so far (method, path, headers, body) as JSON
    POST /_reset                forgets them
    POST /_release              lets a "gated" stream send its next event

The model name chooses the answer (any mix of these words):
    tool    a tool call (get_weather {"city":"Paris"}); when the last message is a tool result,
            a text answer instead
    error   429 with the provider's error body
    gated   a stream that waits for POST /_release before each event after the first
    slow    a stream with 20 ms between events
Usage is fixed, so tests can check what was recorded:
    chat:        prompt_tokens 21 (5 cached), completion_tokens 9
    completions: prompt_tokens 12, completion_tokens 4
    messages:    input_tokens 17, output_tokens 8, cache_read_input_tokens 3, cache_creation_input_tokens 2
Tool call ids are unique per process (call_<n>, toolu_<n>).
"""
import argparse
import http.server
import itertools
import json
import socket
import socketserver
import ssl
import sys
import threading
import time

CHAT_USAGE = {"prompt_tokens": 21, "completion_tokens": 9, "total_tokens": 30,
              "prompt_tokens_details": {"cached_tokens": 5}}
COMPLETION_USAGE = {"prompt_tokens": 12, "completion_tokens": 4, "total_tokens": 16}
ANTHROPIC_USAGE = {"input_tokens": 17, "output_tokens": 8, "cache_read_input_tokens": 3,
                   "cache_creation_input_tokens": 2}
TEXT_PIECES = ["Hello", " from", " the upstream."]
ANSWER_TO_TOOL = ["It is", " sunny."]
TOOL_ARGUMENT_PIECES = ['{"city":', ' "Paris"}']


class Upstream(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def __init__(self, address, context):
        self.context = context
        self.lock = threading.Lock()
        self.seen = []
        self.release = threading.Semaphore(0)
        self.ids = itertools.count(1)
        super().__init__(address, Handler)

    def next_id(self):
        with self.lock:
            return next(self.ids)

    def finish_request(self, request, client_address):
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.context is None:
            self.RequestHandlerClass(request, client_address, self)
            return
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
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

    # -- plumbing

    def reply_json(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-upstream-processing-ms", "1")
        self.end_headers()
        self.wfile.write(body)

    def start_stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.events_sent = 0

    def event(self, data, name=None):
        """One SSE event in one chunk; a gated or slow stream waits before all but the first."""
        if self.events_sent > 0:
            if "gated" in self.model:
                if not self.server.release.acquire(timeout=120):
                    raise ConnectionError("not released")
            elif "slow" in self.model:
                time.sleep(0.02)
        self.events_sent += 1
        text = ("event: %s\n" % name if name else "") + "data: %s\n\n" % (data if isinstance(data, str) else json.dumps(data))
        raw = text.encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(raw), raw))
        self.wfile.flush()

    def end_stream(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def read_body(self):
        length = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(length) if length else b""

    def remember(self, body):
        entry = {"method": self.command, "path": self.path,
                 "headers": [[name.lower(), value] for name, value in self.headers.items()],
                 "body": body.decode("utf-8", "replace")}
        with self.server.lock:
            self.server.seen.append(entry)

    # -- routes

    def do_GET(self):
        self.remember(b"")
        path = self.path.split("?")[0]
        if path == "/_requests":
            with self.server.lock:
                seen = list(self.server.seen)
            self.reply_json(200, seen)
        elif path == "/v1/models":
            if self.headers.get("anthropic-version"):
                self.reply_json(200, {"data": [{"type": "model", "id": "claude-test", "display_name": "Claude Test",
                                                "created_at": "2026-01-01T00:00:00Z"}],
                                      "has_more": False, "first_id": "claude-test", "last_id": "claude-test"})
            else:
                self.reply_json(200, {"object": "list", "data": [{"id": "gpt-test", "object": "model", "created": 0,
                                                                  "owned_by": "local"}]})
        else:
            self.reply_json(404, {"error": {"message": "no route %s" % path, "type": "invalid_request_error"}})

    def do_POST(self):
        raw = self.read_body()
        path = self.path.split("?")[0]
        if path == "/_reset":
            with self.server.lock:
                self.server.seen = []
            return self.reply_json(200, {"ok": True})
        if path == "/_release":
            self.server.release.release()
            return self.reply_json(200, {"ok": True})
        self.remember(raw)
        try:
            request = json.loads(raw or b"{}")
        except ValueError:
            return self.reply_json(400, {"error": {"message": "body is not JSON", "type": "invalid_request_error"}})
        self.model = str(request.get("model", ""))
        anthropic = path == "/v1/messages"
        if "error" in self.model:
            if anthropic:
                return self.reply_json(429, {"type": "error", "error": {"type": "rate_limit_error", "message": "slow down"}})
            return self.reply_json(429, {"error": {"message": "slow down", "type": "rate_limit_error", "code": "rate_limit"}})
        if path == "/v1/chat/completions":
            self.chat(request)
        elif path == "/v1/completions":
            self.completions(request)
        elif anthropic:
            self.messages(request)
        else:
            self.reply_json(404, {"error": {"message": "no route %s" % path, "type": "invalid_request_error"}})

    # -- OpenAI chat

    def chat(self, request):
        messages = request.get("messages") or [{}]
        wants_tool = "tool" in self.model and messages[-1].get("role") != "tool"
        answer = None if wants_tool else "".join(ANSWER_TO_TOOL if messages[-1].get("role") == "tool" else TEXT_PIECES)
        number = self.server.next_id()
        response_id = "chatcmpl-%d" % number
        call_id = "call_%d" % number
        if not request.get("stream"):
            message = {"role": "assistant", "content": answer}
            if wants_tool:
                message["tool_calls"] = [{"id": call_id, "type": "function",
                                          "function": {"name": "get_weather", "arguments": "".join(TOOL_ARGUMENT_PIECES)}}]
            return self.reply_json(200, {"id": response_id, "object": "chat.completion", "created": 1, "model": self.model,
                                         "choices": [{"index": 0, "message": message,
                                                      "finish_reason": "tool_calls" if wants_tool else "stop"}],
                                         "usage": CHAT_USAGE})
        with_usage = bool((request.get("stream_options") or {}).get("include_usage"))

        def chunk(delta, finish=None):
            body = {"id": response_id, "object": "chat.completion.chunk", "created": 1, "model": self.model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            if with_usage:
                body["usage"] = None
            return body

        self.start_stream()
        self.event(chunk({"role": "assistant", "content": "" if not wants_tool else None}))
        if wants_tool:
            self.event(chunk({"tool_calls": [{"index": 0, "id": call_id, "type": "function",
                                              "function": {"name": "get_weather", "arguments": ""}}]}))
            for piece in TOOL_ARGUMENT_PIECES:
                self.event(chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}))
            self.event(chunk({}, "tool_calls"))
        else:
            for piece in (ANSWER_TO_TOOL if messages[-1].get("role") == "tool" else TEXT_PIECES):
                self.event(chunk({"content": piece}))
            self.event(chunk({}, "stop"))
        if with_usage:
            self.event({"id": response_id, "object": "chat.completion.chunk", "created": 1, "model": self.model,
                        "choices": [], "usage": CHAT_USAGE})
        self.event("[DONE]")
        self.end_stream()

    # -- OpenAI legacy completions (FIM)

    def completions(self, request):
        response_id = "cmpl-%d" % self.server.next_id()
        pieces = ["_answer", "(x)"]
        if not request.get("stream"):
            choices = [{"text": "".join(pieces), "index": i, "logprobs": None, "finish_reason": "stop"}
                       for i in range(max(1, int(request.get("n") or 1)))]
            return self.reply_json(200, {"id": response_id, "object": "text_completion", "created": 1, "model": self.model,
                                         "choices": choices, "usage": COMPLETION_USAGE})
        with_usage = bool((request.get("stream_options") or {}).get("include_usage"))
        self.start_stream()
        for index, piece in enumerate(pieces):
            body = {"id": response_id, "object": "text_completion", "created": 1, "model": self.model,
                    "choices": [{"text": piece, "index": 0, "logprobs": None,
                                 "finish_reason": "stop" if index == len(pieces) - 1 else None}]}
            if with_usage:
                body["usage"] = None
            self.event(body)
        if with_usage:
            self.event({"id": response_id, "object": "text_completion", "created": 1, "model": self.model,
                        "choices": [], "usage": COMPLETION_USAGE})
        self.event("[DONE]")
        self.end_stream()

    # -- Anthropic messages

    def messages(self, request):
        messages = request.get("messages") or [{}]
        last = messages[-1]
        content = last.get("content")
        answers_tool = isinstance(content, list) and any(isinstance(b, dict) and b.get("type") == "tool_result" for b in content)
        wants_tool = "tool" in self.model and not answers_tool
        number = self.server.next_id()
        message_id = "msg_%d" % number
        tool_id = "toolu_%d" % number
        pieces = ANSWER_TO_TOOL if answers_tool else TEXT_PIECES
        if not request.get("stream"):
            blocks = [{"type": "tool_use", "id": tool_id, "name": "get_weather", "input": {"city": "Paris"}}] if wants_tool \
                else [{"type": "text", "text": "".join(pieces)}]
            return self.reply_json(200, {"id": message_id, "type": "message", "role": "assistant", "model": self.model,
                                         "content": blocks, "stop_reason": "tool_use" if wants_tool else "end_turn",
                                         "stop_sequence": None, "usage": ANTHROPIC_USAGE})
        self.start_stream()
        start_usage = dict(ANTHROPIC_USAGE, output_tokens=1)
        self.event({"type": "message_start", "message": {"id": message_id, "type": "message", "role": "assistant",
                                                         "model": self.model, "content": [], "stop_reason": None,
                                                         "stop_sequence": None, "usage": start_usage}}, "message_start")
        if wants_tool:
            self.event({"type": "content_block_start", "index": 0,
                        "content_block": {"type": "tool_use", "id": tool_id, "name": "get_weather", "input": {}}},
                       "content_block_start")
            self.event({"type": "ping"}, "ping")
            for piece in TOOL_ARGUMENT_PIECES:
                self.event({"type": "content_block_delta", "index": 0,
                            "delta": {"type": "input_json_delta", "partial_json": piece}}, "content_block_delta")
        else:
            self.event({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
                       "content_block_start")
            self.event({"type": "ping"}, "ping")
            for piece in pieces:
                self.event({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}},
                           "content_block_delta")
        self.event({"type": "content_block_stop", "index": 0}, "content_block_stop")
        self.event({"type": "message_delta", "delta": {"stop_reason": "tool_use" if wants_tool else "end_turn",
                                                       "stop_sequence": None},
                    "usage": {"output_tokens": ANTHROPIC_USAGE["output_tokens"]}}, "message_delta")
        self.event({"type": "message_stop"}, "message_stop")
        self.end_stream()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--forever", action="store_true")
    args = parser.parse_args()
    context = None
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        context.set_alpn_protocols(["http/1.1"])
    Upstream.address_family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    server = Upstream((args.host, args.port), context)
    print("PORT %d" % server.server_address[1], flush=True)
    if args.forever:
        server.serve_forever()
        return
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # until the test closes our standard input (or exits)
    server.shutdown()


if __name__ == "__main__":
    main()

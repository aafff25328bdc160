"""code-runner's Python side: a fork server (zygote) and the per-session kernels it forks.

The zygote is started by the service (Shared/Subprocess: a clean environment, its own
pid, mount, network, IPC and UTS namespaces where the platform allows). It imports pandas,
numpy, plotly and matplotlib (Agg) once, then forks one kernel per session on request. A
kernel drops to its own unprivileged uid right after the fork (when the zygote runs as
root), gets its own working directory (0700) and resource limits, and keeps `df` and its
namespace between executes.

Wire (stdin/stdout of the zygote; every integer big-endian):
  service -> zygote   [u32 length][u32 channel][payload]
                      channel 0: a control request (JSON): spawn, kill
                      channel k: bytes for kernel k's stdin-like pipe (kernel frames)
  zygote -> service   [u32 length][u32 channel][payload]
                      channel 0: a control event (JSON): ready, spawned, spawn_failed, exited
                      channel k: bytes kernel k wrote (kernel frames), relayed unparsed
  kernel frames       [u32 length][JSON]   one request, one response, in order

The zygote never parses what a kernel writes (a kernel is untrusted): it only tags it
with the kernel's channel. Kernels never see the zygote's stdin or stdout.
"""

import ast
import base64
import ctypes
import errno
import io
import json
import os
import selectors
import shutil
import signal
import struct
import sys
import textwrap
import traceback
import tokenize

HEADER = struct.Struct(">II")
LENGTH = struct.Struct(">I")
# Largest frame the zygote takes from the service (datasets travel in frames).
MAX_CONTROL_FRAME = 512 * 1024 * 1024
# Per block: captured stdout and stderr kept, each (the rest is counted and dropped).
MAX_BLOCK_OUTPUT = 1024 * 1024
# Per execute: all blocks' captured text together (keeps an answer well under the
# service's 96 MiB frame limit however many blocks there are).
MAX_EXECUTE_OUTPUT = 16 * 1024 * 1024
# Per execute: plotly JSON + matplotlib PNG bytes kept (later figures are dropped with a note).
MAX_FIGURE_BYTES = 32 * 1024 * 1024
# Seed and size of the built-in sample dataset.
SAMPLE_SEED = 20240601
SAMPLE_ROWS = 240

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REC = 16384
MS_PRIVATE = 1 << 18

_libc = ctypes.CDLL(None, use_errno=True)


def _prctl(option, value):
    if _libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def _mount(source, target, fstype, flags, data):
    enc = lambda text: text.encode() if text is not None else None
    if _libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


# ---------------------------------------------------------------------------------------
# Warm-up: everything a kernel needs, imported once in the zygote.
# ---------------------------------------------------------------------------------------

def _warm_up():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd
    import plotly.express as px
    import plotly.graph_objects as go
    import plotly.io as pio
    # Lazy imports pulled in now, not in every kernel: plotly's express machinery and JSON
    # writer, matplotlib's font cache and PNG writer, pandas' CSV reader and groupby.
    frame = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, 1.5, 2.5], "c": ["x", "y", "x"]})
    frame.groupby("c").agg({"b": "mean"}).describe()
    pd.read_csv(io.StringIO("a,b\n1,2\n"))
    pio.to_json(px.bar(frame, x="c", y="b"))
    figure = plt.figure()
    plt.plot([1, 2], [3, 4])
    figure.savefig(io.BytesIO(), format="png")
    plt.close("all")
    _sample_dataset()
    return dict(pd=pd, np=np, px=px, go=go, plt=plt, pio=pio)


def _sample_dataset():
    """The built-in sample: a fictional shop's orders, generated (fixed seed, pinned numpy)."""
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(SAMPLE_SEED)
    n = SAMPLE_ROWS
    regions = np.array(["North", "South", "East", "West"])
    products = np.array(["Laptop", "Monitor", "Keyboard", "Mouse", "Headset", "Webcam"])
    base_price = {"Laptop": 1100.0, "Monitor": 260.0, "Keyboard": 75.0, "Mouse": 35.0, "Headset": 90.0, "Webcam": 60.0}
    channels = np.array(["online", "store", "partner"])
    product = products[rng.integers(0, len(products), n)]
    units = rng.integers(1, 12, n)
    price = np.array([base_price[p] for p in product]) * rng.uniform(0.85, 1.15, n)
    discount = rng.choice([0.0, 0.05, 0.1, 0.15], n, p=[0.55, 0.2, 0.15, 0.1])
    rating = np.round(rng.normal(4.1, 0.6, n).clip(1, 5), 1)
    rating[rng.random(n) < 0.08] = np.nan
    frame = pd.DataFrame({
        "order_id": np.arange(1001, 1001 + n),
        "order_date": (pd.Timestamp("2024-01-01") + pd.to_timedelta(np.sort(rng.integers(0, 366, n)), unit="D")).strftime("%Y-%m-%d"),
        "region": regions[rng.integers(0, len(regions), n)],
        "channel": channels[rng.integers(0, len(channels), n)],
        "product": product,
        "units": units,
        "unit_price": np.round(price, 2),
        "discount": discount,
        "revenue": np.round(units * price * (1 - discount), 2),
        "customer_rating": rating,
    })
    return frame


# ---------------------------------------------------------------------------------------
# The kernel: one session's namespace.
# ---------------------------------------------------------------------------------------

class _BoundedText(io.TextIOBase):
    """A text sink keeping at most `limit` characters (counting the rest)."""

    def __init__(self, limit):
        self.parts = []
        self.kept = 0
        self.dropped = 0
        self.limit = limit

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        room = self.limit - self.kept
        if room > 0:
            piece = text[:room]
            self.parts.append(piece)
            self.kept += len(piece)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self):
        text = "".join(self.parts)
        if self.dropped:
            text += "\n[... %d more characters of output dropped]\n" % self.dropped
        return text


class _Capture:
    """The figures one execute showed."""

    def __init__(self):
        self.plotly = []
        self.matplotlib = []
        self.bytes = 0
        self.dropped = 0

    def add(self, kind, text):
        if self.bytes + len(text) > MAX_FIGURE_BYTES:
            self.dropped += 1
            return
        self.bytes += len(text)
        (self.plotly if kind == "plotly" else self.matplotlib).append(text)


class Kernel:
    def __init__(self, modules):
        self.modules = modules
        self.capture = _Capture()
        self._install_hooks()
        self.df = None
        self.namespace = None
        self.reset_namespace()

    def _install_hooks(self):
        pio = self.modules["pio"]
        plt = self.modules["plt"]
        from plotly.io.base_renderers import ExternalRenderer
        kernel = self

        class CaptureRenderer(ExternalRenderer):
            """fig.show() -> the figure's JSON, kept for the response."""

            def render(self, fig_dict):
                kernel.capture.add("plotly", pio.to_json(fig_dict, validate=False))

        pio.renderers["code_runner"] = CaptureRenderer()
        pio.renderers.default = "code_runner"

        def show(*args, **kwargs):
            """plt.show(): every open figure as a base64 PNG, then closed (never blocks)."""
            for number in plt.get_fignums():
                figure = plt.figure(number)
                buffer = io.BytesIO()
                figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight", facecolor="white")
                kernel.capture.add("matplotlib", base64.b64encode(buffer.getvalue()).decode("ascii"))
            plt.close("all")

        plt.show = show
        import matplotlib.figure
        matplotlib.figure.Figure.show = lambda self, *args, **kwargs: show()

    def reset_namespace(self):
        m = self.modules
        self.namespace = {
            "__name__": "__main__",
            "__builtins__": __builtins__,
            "pd": m["pd"], "np": m["np"], "px": m["px"], "go": m["go"], "plt": m["plt"],
            "df": self.df,
        }

    # --- requests ---

    def handle(self, request):
        op = request.get("op")
        if op == "load":
            return self.load(request.get("csv"))
        if op == "execute":
            return self.execute(request.get("code", ""))
        if op == "context":
            return {"ok": True, "context": dataset_context(self.namespace.get("df"))}
        if op == "inspect":
            return inspect_table(request.get("csv", ""))
        if op == "clean":
            return {"ok": True, "code": clean_code(request.get("code", ""))}
        if op == "ping":
            return {"ok": True, "pid": os.getpid(), "uid": os.getuid()}
        return {"ok": False, "error": "unknown op %r" % (op,)}

    def load(self, csv_text):
        pd = self.modules["pd"]
        try:
            frame = _sample_dataset() if csv_text is None else pd.read_csv(io.StringIO(csv_text))
        except Exception as error:  # noqa: BLE001 - reported to the caller
            return {"ok": False, "error": "%s: %s" % (type(error).__name__, error)}
        self.df = frame
        self.namespace["df"] = frame
        return {"ok": True, "rows": int(frame.shape[0]), "columns": [str(c) for c in frame.columns]}

    def execute(self, code):
        self.capture = _Capture()
        blocks = split_blocks(code)
        results = []
        budget = MAX_EXECUTE_OUTPUT
        for block in blocks:
            result = self.run_block(block, limit=max(0, min(MAX_BLOCK_OUTPUT, budget // 2)))
            budget -= len(result["stdout"]) + len(result["stderr"])
            results.append(result)
        plt = self.modules["plt"]
        plt.close("all")
        output = []
        for result in results:
            if result["error"] is None:
                output.append("=== OUTPUT FROM %s ===\n%s" % (result["name"], result["stdout"] + result["stderr"]))
            else:
                output.append("=== ERROR IN %s ===\n%s%s" % (result["name"], result["stdout"] + result["stderr"], result["error"]))
        if self.capture.dropped:
            output.append("[%d figures dropped: over %d bytes of figures in one execute]" % (self.capture.dropped, MAX_FIGURE_BYTES))
        failed = [r["name"] for r in results if r["error"] is not None]
        return {
            "ok": True,
            "output": "\n\n".join(output),
            "plotly_outputs": self.capture.plotly,
            "matplotlib_outputs": self.capture.matplotlib,
            "is_successful": not failed,
            "failed_blocks": failed,
            "blocks": results,
        }

    def run_block(self, block, limit=MAX_BLOCK_OUTPUT):
        stdout = _BoundedText(limit)
        stderr = _BoundedText(limit)
        filename = "<%s>" % block.name
        error = None
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = stdout, stderr
        try:
            # Line numbers are the request's own: the block is compiled after as many empty
            # lines as precede it in the request.
            source = "\n" * (block.first_line - 1) + block.text
            compiled = compile(source, filename, "exec")
            exec(compiled, self.namespace)  # noqa: S102 - this is the sandboxed kernel
        except BaseException as exception:  # noqa: BLE001 - every failure is the block's
            error = describe_error(exception, filename, block)
        finally:
            sys.stdout, sys.stderr = saved
        self.df = self.namespace.get("df")
        return {
            "name": block.name,
            "stdout": stdout.getvalue(),
            "stderr": stderr.getvalue(),
            "error": error,
        }


class Block:
    def __init__(self, name, text, first_line):
        self.name = name
        self.text = text
        self.first_line = first_line


def _marker(line):
    """("start"|"end", name) for a `# <name> code start|end` line, else None."""
    stripped = line.strip()
    if not stripped.startswith("#"):
        return None
    words = stripped[1:].split()
    if len(words) == 3 and words[1].lower() == "code" and words[2].lower() in ("start", "end"):
        return words[2].lower(), words[0]
    return None


def split_blocks(code):
    """Blocks between `# <name> code start` and `# <name> code end` (marker lines are kept as
    comments, so line numbers stay the request's); each run of text outside markers is a
    block named "main". Blank runs are skipped. A start without an end runs to the end."""
    lines = code.split("\n")
    blocks = []
    current_name = None
    current_lines = []
    current_first = 1

    def flush(next_first):
        nonlocal current_lines, current_first
        text = "\n".join(current_lines)
        if text.strip():
            blocks.append(Block(current_name or "main", _dedent(text), current_first))
        current_lines = []
        current_first = next_first

    for index, line in enumerate(lines, start=1):
        marker = _marker(line)
        if marker and marker[0] == "start":
            flush(index)
            current_name = marker[1]
            current_lines.append("")  # the marker line itself, as an empty line
        elif marker and marker[0] == "end" and current_name is not None:
            current_lines.append("")
            flush(index + 1)
            current_name = None
        else:
            current_lines.append(line)
    flush(len(lines) + 1)
    return blocks


def _dedent(text):
    """A block indented as a whole (a pasted snippet) is dedented; line count unchanged."""
    return textwrap.dedent(text)


def describe_error(exception, filename, block):
    """`Type: message` and the offending line of the block (the request's line number)."""
    name = type(exception).__name__
    message = str(exception)
    lineno, text = None, None
    if isinstance(exception, SyntaxError) and exception.filename == filename:
        lineno, text = exception.lineno, exception.text
        message = exception.msg
    else:
        for frame in traceback.extract_tb(exception.__traceback__):
            if frame.filename == filename:
                lineno = frame.lineno
        if lineno is not None:
            source_lines = ("\n" * (block.first_line - 1) + block.text).split("\n")
            if 1 <= lineno <= len(source_lines):
                text = source_lines[lineno - 1]
    head = "%s: %s" % (name, message) if message else name
    if lineno is not None:
        return "%s\nProblem at line %d: %s\n" % (head, lineno, (text or "").strip())
    return head + "\n"


def dataset_context(frame):
    """Rows, columns, each column's dtype and null count, a few sample values."""
    if frame is None:
        return "Dataset context: no dataset is loaded."
    try:
        lines = ["Dataset context:", "- Shape: %d rows, %d columns" % frame.shape, "- Columns:"]
        for column in frame.columns:
            series = frame[column]
            lines.append("  * %s (%s): %d null values" % (column, series.dtype, int(series.isna().sum())))
        lines.append("- Sample values:")
        for column in frame.columns:
            values = frame[column].dropna().head(3).tolist()
            shown = ", ".join(repr(round(v, 2) if isinstance(v, float) else v)[:60] for v in values)
            lines.append("  * %s: %s" % (column, shown))
        return "\n".join(lines)
    except Exception as error:  # noqa: BLE001 - `df` may be anything the user made it
        return "Dataset context: `df` is a %s (%s)" % (type(frame).__name__, error)


def inspect_table(csv_text):
    """Whether `csv_text` reads as a table: rows and columns, or why not."""
    import pandas as pd
    try:
        frame = pd.read_csv(io.StringIO(csv_text))
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "error": "not a table: %s: %s" % (type(error).__name__, str(error).strip()[:300])}
    if frame.shape[1] == 0:
        return {"ok": False, "error": "not a table: no columns"}
    return {"ok": True, "rows": int(frame.shape[0]), "columns": [str(c) for c in frame.columns]}


# ---------------------------------------------------------------------------------------
# Clean code: top-level imports to the top, with Python's own parser.
# ---------------------------------------------------------------------------------------

def _bound_names(node):
    """Names a top-level statement binds (assignments, defs, classes, imports, for, with, ...)."""
    names = set()
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            names.add(alias.asname or alias.name.split(".")[0])
        return names
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names.add(node.name)
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and isinstance(child.ctx, (ast.Store, ast.Del)):
            names.add(child.id)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            for alias in child.names:
                names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child is not node:
            names.add(child.name)
        elif isinstance(child, ast.Global):
            names.update(child.names)
    if any(isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id in ("exec", "globals", "setattr", "__import__")
           for child in ast.walk(node)):
        names.add("*")  # anything may be bound: no import after this statement moves
    return names


def _sort_key(statement):
    """The documented order: `from __future__` first, then `import x` statements, then
    `from x import y` statements; each group by module name case-insensitively, then
    case-sensitively, then the statement's text."""
    text = ast.unparse(statement)
    if isinstance(statement, ast.ImportFrom):
        module = "." * statement.level + (statement.module or "")
        group = 0 if statement.module == "__future__" else 2
    else:
        module = statement.names[0].name
        group = 1
    return (group, module.lower(), module, text)


def clean_code(code):
    """Top-level imports (only those) move to the top (after a module docstring, a shebang
    or an encoding line), one statement per `import` name, duplicates removed, sorted by
    `_sort_key`; everything else, comments, docstrings and block markers included, stays
    where it was. An import stays in place when an earlier top-level statement binds one of
    its names (moving it would change what the name means), when it shares its line with
    another statement, or when an earlier statement may bind anything (`exec`, `globals`).
    Code that does not parse is returned unchanged."""
    try:
        module = ast.parse(code)
    except (SyntaxError, ValueError):
        return code
    lines = code.split("\n")
    statements = module.body
    line_owner = {}
    for statement in statements:
        for line in range(statement.lineno, statement.end_lineno + 1):
            line_owner.setdefault(line, []).append(statement)
    bound_before = set()
    hoisted = []
    for statement in statements:
        names = _bound_names(statement)
        is_import = isinstance(statement, (ast.Import, ast.ImportFrom))
        shares_line = any(len(line_owner[line]) > 1 for line in (statement.lineno, statement.end_lineno))
        if is_import and not shares_line and "*" not in bound_before and not (names & bound_before) \
                and not any(alias.name == "*" for alias in statement.names):
            hoisted.append(statement)
        else:
            bound_before |= names
    if not hoisted:
        return code

    # What goes to the top: one statement per imported module for `import a, b`.
    seen = set()
    header = []
    for statement in hoisted:
        parts = [ast.Import(names=[alias]) for alias in statement.names] if isinstance(statement, ast.Import) else [statement]
        for part in parts:
            text = ast.unparse(part)
            if text not in seen:
                seen.add(text)
                header.append(part)
    header.sort(key=_sort_key)
    header_text = [ast.unparse(part) for part in header]

    # Remove the hoisted statements' lines, keeping any comment that was on them.
    comments = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.COMMENT:
                comments.setdefault(token.start[0], []).append(token.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    removed = set()
    replacement = {}
    for statement in hoisted:
        kept = []
        for line in range(statement.lineno, statement.end_lineno + 1):
            removed.add(line)
            kept.extend(comments.get(line, []))
        if kept:
            replacement[statement.lineno] = "  ".join(kept)

    # Where the header goes: after a shebang / encoding comment and the module docstring.
    insert_after = 0
    while insert_after < len(lines) and (lines[insert_after].startswith("#!") or
                                         (insert_after < 2 and "coding" in lines[insert_after] and lines[insert_after].startswith("#"))):
        insert_after += 1
    first = statements[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        insert_after = max(insert_after, first.end_lineno)
    body = []
    for number, line in enumerate(lines, start=1):
        if number in removed:
            if number in replacement:
                body.append(replacement[number])
            continue
        body.append(line)
    top, rest = body[:insert_after], body[insert_after:]
    while rest and not rest[0].strip():
        rest.pop(0)
    result = top + header_text + ([""] if rest else []) + rest
    return "\n".join(result)


# ---------------------------------------------------------------------------------------
# Kernel process: frames over two pipes.
# ---------------------------------------------------------------------------------------

def _read_exact(fd, count):
    chunks = []
    while count > 0:
        chunk = os.read(fd, min(count, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _encode(value):
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "replace")


def _frame(value):
    data = _encode(value)
    return LENGTH.pack(len(data)) + data


def kernel_main(modules, read_fd, write_fd):
    kernel = Kernel(modules)
    own_pid = os.getpid()
    while True:
        head = _read_exact(read_fd, LENGTH.size)
        if head is None:
            os._exit(0)
        (length,) = LENGTH.unpack(head)
        payload = _read_exact(read_fd, length)
        if payload is None:
            os._exit(0)
        try:
            response = kernel.handle(json.loads(payload))
        except BaseException as error:  # noqa: BLE001 - the kernel keeps serving
            response = {"ok": False, "error": "%s: %s" % (type(error).__name__, error)}
        if os.getpid() != own_pid:
            # A child the user's code forked (without exec) came back here: it must not
            # answer, nor read the next request.
            os._exit(0)
        try:
            data = _encode(response)
        except (TypeError, ValueError) as error:
            data = _encode({"ok": False, "error": "response not serialisable: %s" % error})
        _write_all(write_fd, LENGTH.pack(len(data)) + data)


# ---------------------------------------------------------------------------------------
# Zygote.
# ---------------------------------------------------------------------------------------

class KernelProcess:
    def __init__(self, channel, pid, to_kernel, from_kernel, uid, workdir):
        self.channel = channel
        self.pid = pid
        self.to_kernel = to_kernel
        self.from_kernel = from_kernel
        self.uid = uid
        self.workdir = workdir
        self.outgoing = bytearray()
        self.swept = False


class Zygote:
    def __init__(self, modules):
        self.modules = modules
        self.kernels = {}            # channel -> KernelProcess
        self.by_pid = {}             # pid -> KernelProcess (until reaped)
        self.selector = selectors.DefaultSelector()
        self.incoming = bytearray()
        self.is_root = os.geteuid() == 0
        self.base_vsz = _vm_size()
        self.stdout_lock_free = True
        os.set_blocking(0, False)
        self.wakeup_read, self.wakeup_write = os.pipe()
        os.set_blocking(self.wakeup_read, False)
        os.set_blocking(self.wakeup_write, False)
        signal.set_wakeup_fd(self.wakeup_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        self.selector.register(0, selectors.EVENT_READ, "control")
        self.selector.register(self.wakeup_read, selectors.EVENT_READ, "wakeup")

    def emit(self, channel, payload):
        data = HEADER.pack(len(payload), channel) + payload
        view = memoryview(data)
        while view:
            try:
                written = os.write(1, view)
                view = view[written:]
            except BlockingIOError:
                selectors.select.select([], [1], [])

    def event(self, value):
        self.emit(0, _encode(value))

    def run(self):
        self.event({"event": "ready", "pid": os.getpid(), "uid": os.geteuid(), "vsz": self.base_vsz,
                    "namespaces": _namespaces_note()})
        while True:
            for key, mask in self.selector.select():
                tag = key.data
                if tag == "control":
                    if not self.read_control():
                        self.shutdown()
                        return
                elif tag == "wakeup":
                    try:
                        while os.read(self.wakeup_read, 512):
                            pass
                    except BlockingIOError:
                        pass
                    self.reap()
                elif isinstance(tag, tuple) and tag[0] == "from":
                    self.relay_from(tag[1])
                elif isinstance(tag, tuple) and tag[0] == "to":
                    self.flush_to(tag[1])
            self.reap()

    # --- the service's requests ---

    def read_control(self):
        while True:
            try:
                chunk = os.read(0, 1 << 20)
            except BlockingIOError:
                break
            if not chunk:
                return False
            self.incoming += chunk
        while len(self.incoming) >= HEADER.size:
            length, channel = HEADER.unpack_from(self.incoming)
            if length > MAX_CONTROL_FRAME:
                return False
            if len(self.incoming) < HEADER.size + length:
                break
            payload = bytes(self.incoming[HEADER.size:HEADER.size + length])
            del self.incoming[:HEADER.size + length]
            if channel == 0:
                self.control(json.loads(payload))
            else:
                kernel = self.kernels.get(channel)
                if kernel is not None and kernel.to_kernel is not None:
                    kernel.outgoing += payload
                    self.flush_to(channel)
        return True

    def control(self, request):
        op = request.get("op")
        if op == "spawn":
            self.spawn(request)
        elif op == "kill":
            kernel = self.kernels.get(request.get("kernel"))
            if kernel is not None:
                self.kill(kernel)

    def spawn(self, request):
        channel = int(request["kernel"])
        if channel in self.kernels:
            self.kill(self.kernels[channel])
        to_read, to_write = os.pipe()
        from_read, from_write = os.pipe()
        try:
            pid = os.fork()
        except OSError as error:
            for fd in (to_read, to_write, from_read, from_write):
                os.close(fd)
            self.event({"event": "spawn_failed", "kernel": channel, "error": str(error)})
            return
        if pid == 0:
            self._child(request, to_read, from_write)  # never returns
        os.close(to_read)
        os.close(from_write)
        os.set_blocking(to_write, False)
        os.set_blocking(from_read, False)
        kernel = KernelProcess(channel, pid, to_write, from_read, request.get("uid"), request.get("workdir"))
        self.kernels[channel] = kernel
        self.by_pid[pid] = kernel
        self.selector.register(from_read, selectors.EVENT_READ, ("from", channel))
        self.event({"event": "spawned", "kernel": channel, "pid": pid})

    def _child(self, request, read_fd, write_fd):
        status = 70
        try:
            os.setpgid(0, 0)
            _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            # Pipes to 3 and 4, /dev/null on 0-2, nothing else open.
            os.dup2(read_fd, 3)
            os.dup2(write_fd, 4)
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.closerange(5, _max_fd())
            uid = request.get("uid")
            workdir = request["workdir"]
            if self.is_root and uid is not None:
                if os.path.lexists(workdir):
                    shutil.rmtree(workdir, ignore_errors=True)
                os.mkdir(workdir, 0o700)
                os.chown(workdir, uid, uid)
            else:
                os.makedirs(workdir, mode=0o700, exist_ok=True)
            _set_limits(request.get("limits", {}), self.base_vsz)
            if self.is_root and uid is not None:
                os.setgroups([])
                os.setresgid(uid, uid, uid)
                os.setresuid(uid, uid, uid)
            _prctl(PR_SET_NO_NEW_PRIVS, 1)
            _prctl(PR_SET_DUMPABLE, 0)
            os.umask(0o077)
            os.chdir(workdir)
            environment = request.get("environment", {})
            os.environ.clear()
            os.environ.update({"HOME": workdir, "TMPDIR": workdir, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                               "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                               "MKL_NUM_THREADS": "1", **environment})
            sys.argv = ["kernel"]
            kernel_main(self.modules, 3, 4)
            status = 0
        except BaseException:  # noqa: BLE001 - a child must never return into the zygote
            # Told to the service as the kernel's one answer (it never answers otherwise).
            try:
                _write_all(4, _frame({"ok": False, "error": "kernel start failed: " + traceback.format_exc(limit=4)}))
            except OSError:
                pass
        os._exit(status)

    def kill(self, kernel):
        """Kills a kernel's process group and, once, every process of its uid. Once only: by
        the time the kernel is reaped, its slot (and uid) may already run the next kernel."""
        if not kernel.swept:
            kernel.swept = True
            try:
                os.killpg(kernel.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.sweep_uid(kernel.uid)
        self.close_pipes(kernel)

    def sweep_uid(self, uid):
        """Kills every process of a kernel's uid (what it started and moved out of its
        process group): a short-lived child that becomes that uid and signals -1."""
        if not self.is_root or uid is None:
            return
        pid = os.fork()
        if pid == 0:
            try:
                os.setresuid(uid, uid, uid)
                os.kill(-1, signal.SIGKILL)
            except BaseException:  # noqa: BLE001
                pass
            os._exit(0)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass

    def close_pipes(self, kernel):
        for fd in (kernel.to_kernel, kernel.from_kernel):
            if fd is None:
                continue
            try:
                self.selector.unregister(fd)
            except (KeyError, ValueError):
                pass
            os.close(fd)
        kernel.to_kernel = None
        kernel.from_kernel = None
        kernel.outgoing.clear()

    # --- relaying ---

    def relay_from(self, channel):
        kernel = self.kernels.get(channel)
        if kernel is None or kernel.from_kernel is None:
            return
        try:
            chunk = os.read(kernel.from_kernel, 1 << 20)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if chunk:
            self.emit(channel, chunk)
        else:
            # The kernel closed its end (exited, or is about to): no more from it.
            self.kill(kernel)

    def flush_to(self, channel):
        kernel = self.kernels.get(channel)
        if kernel is None or kernel.to_kernel is None:
            return
        while kernel.outgoing:
            try:
                written = os.write(kernel.to_kernel, kernel.outgoing[:1 << 20])
            except BlockingIOError:
                break
            except OSError:
                kernel.outgoing.clear()
                break
            del kernel.outgoing[:written]
        events = selectors.EVENT_WRITE if kernel.outgoing else 0
        try:
            if events:
                self.selector.modify(kernel.to_kernel, events, ("to", channel)) if self._registered(kernel.to_kernel) \
                    else self.selector.register(kernel.to_kernel, events, ("to", channel))
            elif self._registered(kernel.to_kernel):
                self.selector.unregister(kernel.to_kernel)
        except (KeyError, ValueError, OSError):
            pass

    def _registered(self, fd):
        try:
            self.selector.get_key(fd)
            return True
        except KeyError:
            return False

    def reap(self):
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            kernel = self.by_pid.pop(pid, None)
            if kernel is None:
                continue  # an orphan adopted by this pid 1, or a sweeper
            if os.WIFSIGNALED(status):
                description = "signalled(%d)" % os.WTERMSIG(status)
            else:
                description = "exited(%d)" % os.WEXITSTATUS(status)
            self.kill(kernel)
            if self.kernels.get(kernel.channel) is kernel:
                del self.kernels[kernel.channel]
                self.event({"event": "exited", "kernel": kernel.channel, "status": description})
            if self.is_root and kernel.uid is not None and kernel.workdir:
                shutil.rmtree(kernel.workdir, ignore_errors=True)

    def shutdown(self):
        for kernel in list(self.kernels.values()):
            self.kill(kernel)
            if self.is_root and kernel.uid is not None and kernel.workdir:
                shutil.rmtree(kernel.workdir, ignore_errors=True)


def _set_limits(limits, base_vsz):
    import resource
    table = {
        "cpu_seconds": resource.RLIMIT_CPU,
        "processes": resource.RLIMIT_NPROC,
        "open_files": resource.RLIMIT_NOFILE,
        "file_size_bytes": resource.RLIMIT_FSIZE,
    }
    for key, which in table.items():
        value = limits.get(key)
        if value is not None:
            hard = value + 1 if key == "cpu_seconds" else value
            resource.setrlimit(which, (value, hard))
    memory = limits.get("memory_bytes")
    if memory is not None:
        # Address space: what the zygote had mapped (shared with the kernel after the fork)
        # plus the session's allowance.
        total = base_vsz + memory
        resource.setrlimit(resource.RLIMIT_AS, (total, total))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _vm_size():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _max_fd():
    try:
        return os.sysconf("SC_OPEN_MAX")
    except (ValueError, OSError):
        return 65536


def _namespaces_note():
    """What this zygote sees of its namespaces: pid 1 (a pid namespace of its own) and the
    network interfaces of its network namespace (only `lo` in one of its own)."""
    note = {"pid1": os.getpid() == 1}
    try:
        import socket
        note["network_interfaces"] = sorted(name for _, name in socket.if_nameindex())
    except OSError:
        pass
    return note


def _private_proc():
    """In a pid + mount namespace of its own, as root: make mounts private and mount a
    /proc of this namespace with hidepid=2 (a kernel sees only its own processes)."""
    if os.getpid() != 1 or os.geteuid() != 0:
        return False
    try:
        _mount(None, "/", None, MS_REC | MS_PRIVATE, None)
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2")
        return True
    except OSError:
        return False


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "clean":
        # A helper mode for tests and tools: stdin code -> stdout cleaned code.
        sys.stdout.write(clean_code(sys.stdin.read()))
        return
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    _private_proc()
    modules = _warm_up()
    Zygote(modules).run()


if __name__ == "__main__":
    main()

"""Interactive Python session runner for the local Backend.AI-compatible server.

Started once per session as ``python3 -u python_runner.py`` (cwd = session dir).
It keeps one ``__main__`` namespace alive across queries, like a Jupyter kernel.

Channels: the ORIGINAL fd 0 is the command channel (newline-delimited JSON in),
the ORIGINAL fd 1 the event channel (one compact JSON object per line out, UTF-8).
Both are dup()ed to private fds; fd 0 then reads /dev/null and fds 1/2 become
pipes drained by reader threads, so output of subprocesses and C code is captured.
Python-level writes (print, sys.stdout/sys.stderr) are emitted directly, keeping
their exact order.  The runner calls os.setsid() (it leads its process group).

Commands (Java -> runner):
  {"op": "query", "code": "..."}  run code; other commands received meanwhile
                                  (except "input") are queued until it ends
  {"op": "input", "data": "..."}  answer to the latest waiting-input; "data": null
                                  or "eof": true means end-of-file (input() raises
                                  EOFError, sys.stdin.readline() returns "")
  {"op": "exit"}                  exit with status 0
Events (runner -> Java):
  {"event": "ready", "pid": 123, "python": "3.11.7"}          once, at start-up
  {"event": "stdout"|"stderr", "data": "..."}
  {"event": "waiting-input", "password": false}
  {"event": "media", "mime": "image/png", "data": "data:image/png;base64,..."}
  {"event": "finished", "exitCode": 0}  after ALL output of the query (drain barrier).
     0 = ok or exception (traceback on stderr), n = SystemExit(n), 130 = interrupted,
     -1 = runner-internal failure.
SIGINT raises KeyboardInterrupt in a running query and is ignored while idle.
EOF on the command channel makes the runner exit (a busy query gets 2 s grace);
on exit the runner's process group (its children) is terminated.
Rich output: builtin display(obj, mime=None) and module ``backendai_display``
(display, display_html, display_image, display_svg); matplotlib's plt.show()
emits open figures as PNG (or SVG with env BACKEND_MPL_FORMAT=svg).
"""
import ast, base64, builtins, codecs, collections, getpass, io, json, linecache
import mimetypes, os, platform, queue, signal, sys, threading, time, traceback, types, uuid

_SELF = (lambda: None).__code__.co_filename
_MAIN_TID = threading.get_ident()
_SENTINEL = b"\x00\x1b[backendai-drain-" + uuid.uuid4().hex.encode() + b":"
_cmds = queue.Queue()            # parsed commands; None = command channel EOF
_deferred = collections.deque()  # commands that arrived while waiting for input
_emit_lock = threading.Lock()
_event_fd = _cmd_fd = -1
_forked = False
_pumps, _orig_streams, _libc = [], [], []
_NS = {}


class _S:  # mutable runner state
    busy = in_emit = pending_int = eof = False
    seq = 0


def emit(obj):
    """Write one event line; safe from any thread, never leaves a partial line."""
    if _forked:  # forked child (e.g. multiprocessing): output goes via the fd pipes
        fd = {"stdout": 1, "stderr": 2}.get(obj.get("event"))
        if fd:
            _write_all(fd, obj["data"].encode("utf-8", "replace"))
        return
    try:
        line = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: fall back to \u escapes
        line = json.dumps(obj, separators=(",", ":")).encode("ascii")
    main = threading.get_ident() == _MAIN_TID
    with _emit_lock:
        if main:
            _S.in_emit = True  # a SIGINT now only sets pending_int
        try:
            _write_all(_event_fd, line + b"\n")
        except OSError:  # nobody listens any more
            _terminate(0)
        finally:
            if main:
                _S.in_emit = False
    if main and _S.pending_int:
        _S.pending_int = False
        if _S.busy:
            raise KeyboardInterrupt

def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]

def _terminate(status):
    """Terminate our children (our process group) and exit immediately."""
    try:
        if os.getpgrp() == os.getpid():
            if threading.get_ident() == _MAIN_TID:
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                os.killpg(os.getpid(), signal.SIGTERM)
            else:  # cannot ignore signals off the main thread: kill all, us too
                os.killpg(os.getpid(), signal.SIGKILL)
    except OSError:
        pass
    os._exit(status)


class _OutStream(io.TextIOBase):
    """sys.stdout / sys.stderr replacement emitting events synchronously."""
    mode, line_buffering = "w", True
    encoding = property(lambda self: "utf-8")
    errors = property(lambda self: "replace")
    name = property(lambda self: "<%s>" % self._event)
    closed = property(lambda self: False)

    def __init__(self, event, fd):
        super().__init__()
        self._event, self._fd = event, fd
        self.buffer = _BinaryOut(self)

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        if s:
            emit({"event": self._event, "data": s})
        return len(s)

    def writable(self): return True
    def isatty(self): return False
    def fileno(self): return self._fd
    def flush(self): pass
    def close(self): pass


class _BinaryOut:
    """The ``.buffer`` of an _OutStream: accepts bytes, decodes them as UTF-8."""
    closed = False

    def __init__(self, text):
        self._text, self._dec = text, codecs.getincrementaldecoder("utf-8")("replace")

    def write(self, b):
        self._text.write(self._dec.decode(bytes(b)))
        return len(b)

    def flush(self): pass
    def fileno(self): return self._text.fileno()
    def isatty(self): return False
    def writable(self): return True


def _request_input(prompt, password):
    """Ask the Java side for a line; returns None on end-of-file."""
    if prompt:
        _OUT.write(str(prompt))
    emit({"event": "waiting-input", "password": bool(password)})
    while not _S.eof:
        cmd = _cmds.get()
        if cmd is None:
            _S.eof = True
        elif cmd.get("op") == "input":
            data = cmd.get("data")
            return None if data is None or cmd.get("eof") else str(data)
        else:
            _deferred.append(cmd)
    return None

def _input(prompt="", password=False):
    data = _request_input(prompt, password)
    if data is None:
        raise EOFError("EOF when reading a line")
    return data

def _getpass(prompt="Password: ", stream=None):
    return _input(prompt, True)


class _Stdin(io.TextIOBase):
    """sys.stdin replacement: every line is requested with a waiting-input event."""
    mode = "r"
    encoding = property(lambda self: "utf-8")
    errors = property(lambda self: "strict")
    name = property(lambda self: "<stdin>")
    closed = property(lambda self: False)

    def __init__(self):
        super().__init__()
        self._buf = ""

    def _fill(self):
        data = _request_input("", False)
        if data is not None:
            self._buf += data + "\n"
        return data is not None

    def readline(self, size=-1):
        size = -1 if size is None else size
        while "\n" not in self._buf and (size < 0 or len(self._buf) < size) and self._fill():
            pass
        end = self._buf.find("\n") + 1 or len(self._buf)
        end = size if 0 <= size < end else end
        line, self._buf = self._buf[:end], self._buf[end:]
        return line

    def read(self, size=-1):
        size = -1 if size is None else size
        while (size < 0 or len(self._buf) < size) and self._fill():
            pass
        end = len(self._buf) if size < 0 else size
        data, self._buf = self._buf[:end], self._buf[end:]
        return data

    def readlines(self, hint=-1): return list(iter(self.readline, ""))
    def readable(self): return True
    def isatty(self): return False
    def fileno(self): raise io.UnsupportedOperation("fileno")
    def close(self): pass


# ---------------------------------------------------------------- rich output
def _b64uri(mime, data):
    if isinstance(data, str):  # already base64 (or already a data URI)
        return data if data.startswith("data:") else "data:%s;base64,%s" % (mime, data)
    return "data:%s;base64,%s" % (mime, base64.b64encode(bytes(data)).decode("ascii"))

def display(obj, mime=None):
    """Emit obj as a media record (or print its repr if it has no rich form)."""
    if mime is not None:
        if mime.startswith("image/") and mime != "image/svg+xml":
            data = _b64uri(mime, obj)
        elif isinstance(obj, (bytes, bytearray)):
            data = bytes(obj).decode("utf-8", "replace")
        else:
            data = str(obj)
        return emit({"event": "media", "mime": mime, "data": data})
    if type(obj).__module__.startswith("matplotlib") and hasattr(obj, "savefig"):
        return _emit_figure(obj)
    if not isinstance(obj, type):
        for attr, kind in (("_repr_png_", "image/png"), ("_repr_jpeg_", "image/jpeg"),
                           ("_repr_svg_", "image/svg+xml"), ("_repr_html_", "text/html")):
            method = getattr(obj, attr, None)
            data = method() if callable(method) else None
            data = data[0] if isinstance(data, tuple) else data  # IPython: (data, meta)
            if data is not None:
                return display(data, kind)
    _OUT.write(repr(obj) + "\n")

def display_html(html): display(html, "text/html")
def display_svg(svg): display(svg, "image/svg+xml")

def display_image(data, mime="image/png"):
    if isinstance(data, (str, os.PathLike)) and not str(data).startswith("data:"):
        path = os.fspath(data)
        guessed = mimetypes.guess_type(path)[0] or ""
        mime = guessed if guessed.startswith("image/") else mime
        with open(path, "rb") as f:
            data = f.read()
    display(data, mime)

def _emit_figure(fig):
    svg = os.environ.get("BACKEND_MPL_FORMAT", "png").lower() == "svg"
    buf = io.BytesIO()
    fig.savefig(buf, format="svg" if svg else "png", bbox_inches="tight")
    display(buf.getvalue(), "image/svg+xml" if svg else "image/png")

def _mpl_show(*args, **kwargs):
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        for num in plt.get_fignums():
            _emit_figure(plt.figure(num))
        plt.close("all")

_mpl_show._backendai = True

def _patch_pyplot(module=None):
    module = module or sys.modules.get("matplotlib.pyplot")
    if module is not None and not getattr(getattr(module, "show", None), "_backendai", False):
        module.show = _mpl_show


class _PyplotHook:
    """Meta path finder wrapping the loader of matplotlib.pyplot to patch show()."""

    def find_spec(self, name, path=None, target=None):
        if name != "matplotlib.pyplot":
            return None
        for finder in sys.meta_path:
            spec = None
            if finder is not self and hasattr(finder, "find_spec"):
                spec = finder.find_spec(name, path, target)
            if spec is not None:
                if hasattr(spec.loader, "exec_module"):
                    spec.loader = _PatchingLoader(spec.loader)
                return spec
        return None

    def invalidate_caches(self): pass


class _PatchingLoader:
    def __init__(self, inner): self._inner = inner
    def __getattr__(self, name): return getattr(self._inner, name)
    def create_module(self, spec): return self._inner.create_module(spec)

    def exec_module(self, module):
        self._inner.exec_module(module)
        _patch_pyplot(module)


# ---------------------------------------------------- fd capture and draining
class _FdPump(threading.Thread):
    """Drains the pipe behind fd 1 or 2 into events; strips drain sentinels."""

    def __init__(self, event, rfd, wfd):
        super().__init__(name="pump-" + event, daemon=True)
        self.event, self.rfd, self.wfd = event, rfd, wfd
        self.dec = codecs.getincrementaldecoder("utf-8")("replace")
        self.cond = threading.Condition()
        self.seen, self.done = 0, False

    def run(self):
        buf = b""
        try:
            while True:
                chunk = os.read(self.rfd, 1 << 16)
                if not chunk:
                    break
                buf = self._scan(buf + chunk)
        except Exception:
            pass
        finally:
            with self.cond:
                self.done = True
                self.cond.notify_all()

    def _scan(self, buf):
        """Emit buf except a tail that may start a sentinel; return that tail."""
        while True:
            i = buf.find(_SENTINEL)
            j = buf.find(b";", i + len(_SENTINEL)) if i >= 0 else -1
            if j < 0:
                break
            self._out(buf[:i], final=True)
            seq, buf = int(buf[i + len(_SENTINEL):j]), buf[j + 1:]
            with self.cond:
                self.seen = max(self.seen, seq)
                self.cond.notify_all()
        if i >= 0:  # incomplete sentinel
            keep = len(buf) - i
        else:
            keep = next((k for k in range(min(len(_SENTINEL) - 1, len(buf)), 0, -1)
                         if buf.endswith(_SENTINEL[:k])), 0)
        self._out(buf[:len(buf) - keep])
        return buf[len(buf) - keep:]

    def _out(self, data, final=False):
        text = self.dec.decode(data, final)
        if text:
            emit({"event": self.event, "data": text})


def _drain(timeout=5.0):
    """Barrier: wait until everything written to fds 1/2 so far was emitted."""
    for stream in _orig_streams:
        try:
            stream.flush()
        except Exception:
            pass
    try:
        if not _libc:
            import ctypes
            _libc.append(ctypes.CDLL(None))
        _libc[0].fflush(None)  # C stdio buffers of extension modules
    except Exception:
        _libc.append(None)
    _S.seq += 1
    seq, deadline = _S.seq, time.monotonic() + timeout
    for pump in _pumps:
        try:
            _write_all(pump.wfd, _SENTINEL + str(seq).encode() + b";")
        except OSError:
            continue
        with pump.cond:
            pump.cond.wait_for(lambda: pump.seen >= seq or pump.done,
                               max(0.0, deadline - time.monotonic()))


# ------------------------------------------------------------------ execution
def _show_exception(exc):
    """Write a traceback to stderr, without the runner's own frames."""
    te = traceback.TracebackException(type(exc), exc, exc.__traceback__)
    todo, seen = [te], set()
    while todo:
        t = todo.pop()
        if t is not None and id(t) not in seen:
            seen.add(id(t))
            t.stack[:] = [f for f in t.stack if f.filename != _SELF]
            todo += [t.__cause__, t.__context__] + list(getattr(t, "exceptions", None) or [])
    sys.last_type, sys.last_value, sys.last_traceback = type(exc), exc, exc.__traceback__
    _ERR.write("".join(te.format()))

def _execute(code):
    try:
        tree = compile(code, "<input>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except Exception as e:  # SyntaxError, ValueError (null bytes), ...
        _show_exception(e)
        return 0
    linecache.cache["<input>"] = (len(code), None, code.splitlines(True), "<input>")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    try:
        exec(compile(tree, "<input>", "exec", dont_inherit=True), _NS)
        if last is not None:
            value = eval(compile(last, "<input>", "eval", dont_inherit=True), _NS)
            if value is not None:
                _NS["_"] = value
                _OUT.write(repr(value) + "\n")
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            return int(e.code or 0)
        _ERR.write("%s\n" % (e.code,))
        return 1
    except KeyboardInterrupt as e:
        _show_exception(e)
        return 130
    except BaseException as e:
        _show_exception(e)
    return 0

def _run_query(code):
    _S.pending_int, status = False, 0
    try:
        _patch_pyplot()
        _S.busy = True
        try:
            status = _execute(code)
        finally:
            _S.busy = False
    except KeyboardInterrupt:  # arrived just outside the user's code
        _ERR.write("KeyboardInterrupt\n")
        status = 130
    except BaseException:
        _ERR.write("python_runner internal error:\n" + traceback.format_exc())
        status = -1
    _patch_pyplot()
    _drain()
    emit({"event": "finished", "exitCode": status})

def _on_sigint(signum, frame):
    if _S.busy and _S.in_emit:
        _S.pending_int = True  # raised by emit() once its line is complete
    elif _S.busy:
        raise KeyboardInterrupt

def _read_commands(fd):
    pending = []
    try:
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            pending.append(chunk)
            if b"\n" in chunk:
                lines = b"".join(pending).split(b"\n")
                pending = [lines.pop()]
                for line in lines:
                    try:
                        cmd = json.loads(line.decode("utf-8", "replace")) if line.strip() else None
                    except ValueError:
                        cmd = None
                    if isinstance(cmd, dict):
                        _cmds.put(cmd)
    except OSError:
        pass
    _cmds.put(None)
    watchdog = threading.Timer(2.0, _terminate, (0,))  # if a query keeps running
    watchdog.daemon = True
    watchdog.start()

def _after_fork_in_child():
    global _forked, _emit_lock
    _forked, _emit_lock = True, threading.Lock()
    for fd in (_event_fd, _cmd_fd):
        try:
            os.close(fd)
        except OSError:
            pass

def _setup():
    global _event_fd, _cmd_fd, _OUT, _ERR, _NS
    try:
        os.setsid()
    except OSError:
        pass  # already a process group leader
    _cmd_fd, _event_fd = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for fd, event in ((1, "stdout"), (2, "stderr")):
        rfd, wfd = os.pipe()
        os.dup2(wfd, fd)  # wfd stays open (private) for drain sentinels
        _pumps.append(_FdPump(event, rfd, wfd))
    _orig_streams[:] = [s for s in (sys.stdout, sys.stderr) if s is not None]
    _OUT, _ERR = _OutStream("stdout", 1), _OutStream("stderr", 2)
    sys.stdout = sys.__stdout__ = _OUT
    sys.stderr = sys.__stderr__ = _ERR
    sys.stdin = sys.__stdin__ = _Stdin()
    builtins.input, builtins.display, getpass.getpass = _input, display, _getpass
    mod = types.ModuleType("backendai_display", "Rich output for backend.ai sessions.")
    for f in (display, display_html, display_image, display_svg):
        setattr(mod, f.__name__, f)
    sys.modules[mod.__name__] = mod
    os.environ["MPLBACKEND"] = "Agg"
    sys.meta_path.insert(0, _PyplotHook())
    here = os.path.dirname(os.path.abspath(_SELF))
    sys.path[:] = [""] + [p for p in sys.path if os.path.abspath(p or ".") != here]
    sys.argv = [""]
    sys.modules["backendai_runner"] = sys.modules["__main__"]
    user_main = types.ModuleType("__main__")
    user_main.__builtins__ = builtins
    sys.modules["__main__"] = user_main
    _NS = user_main.__dict__
    os.register_at_fork(after_in_child=_after_fork_in_child)
    signal.signal(signal.SIGINT, _on_sigint)
    for pump in _pumps:
        pump.start()
    threading.Thread(target=_read_commands, args=(_cmd_fd,), name="commands", daemon=True).start()

def main():
    _setup()
    emit({"event": "ready", "pid": os.getpid(), "python": platform.python_version()})
    while _deferred or not _S.eof:
        cmd = _deferred.popleft() if _deferred else _cmds.get()
        if cmd is None:
            _S.eof = True
        elif cmd.get("op") == "query":
            _run_query(str(cmd.get("code", "")))
        elif cmd.get("op") == "exit":
            break
    _terminate(0)

if __name__ == "__main__":
    main()

r"""Interactive session runner for the local Backend.AI-compatible server.

Started once per session, with cwd = the session's working directory, as
    python3 -u python_runner.py                 Python mode ("mode": "python")
    python3 -u python_runner.py --shell PATH    shell mode  ("mode": "shell"; also --shell=PATH)
In Python mode it keeps one ``__main__`` namespace alive across queries, like a
Jupyter kernel.  In shell mode every query runs as ``PATH -c <code>`` in a child
process (no state is kept between queries except the file system).

Channels: the ORIGINAL fd 0 is the command channel (newline-delimited JSON in),
the ORIGINAL fd 1 the event channel (one compact JSON object per line out, UTF-8,
separators "," and ":", non-ASCII characters unescaped; a string holding lone
surrogates is sent with \uXXXX escapes instead).  Events are written through a
buffered binary writer that is flushed after each batch of events; a line is
never split.  If the event channel is a pipe, its capacity is raised to 256 KiB
(Linux F_SETPIPE_SZ, best effort).  Both channels are dup()ed to private fds;
fd 0 then reads /dev/null and fds 1/2 become pipes drained by reader threads, so
output of subprocesses and C code is captured.  The runner calls os.setsid() (it
leads its own process group).

Commands (Java -> runner), one JSON object per line; unknown ops are ignored:
  {"op": "query", "code": "...", "timeout": 5.0}
        Run code.  "timeout" (optional, seconds, number; absent/null/<= 0 = none)
        limits the run, see "exec-timeout".  Python mode: executed in the
        namespace, the value of a final expression is printed as its repr().
        Shell mode: run as a child "<shell> -c <code>" (see "Child processes").
        Ends with "finished" or "exec-timeout".
  {"op": "batch", "clean": str|null, "build": str|null, "exec": str|null, "timeout": 5.0}
        Run the three steps in this order in the working directory ("timeout",
        optional, limits the whole batch).  Each step value is
          null or ""  the step is skipped, its marker still reports exitCode 0;
          "*"         the default heuristic:
                        clean: nothing (exit code 0);
                        build: "make" if a file Makefile exists, else
                               "<sys.executable> -m pip install -e ." if setup.py
                               exists, else nothing (exit code 0);
                        exec:  Python mode: "<sys.executable> main.py" if main.py
                               exists; shell mode: "<shell> ./main.sh" if main.sh
                               exists; else a message on stderr and exit code 127;
          any other   run as "/bin/sh -c <string>".
        All step commands run as child processes (see "Child processes") with the
        runner's environment plus LANG=C.UTF-8 and SHELL=/bin/sh.  A command that
        cannot be started gives a message on stderr and exit code 127 (126 if
        permission was denied).  Events, in order:
          {"event": "clean-finished", "exitCode": N}   (a failing clean step does
                                                        not stop the batch)
          {"event": "build-finished", "exitCode": N}
          if the build exit code N != 0: {"event": "finished", "exitCode": 127},
                                         and exec is not run
          else the exec step's output and {"event": "finished", "exitCode": N}
        A batch interrupted by SIGINT or by its timeout ends early, without the
        remaining markers (see "Child processes" and "Timeouts").
  {"op": "input", "data": "..."}
        A line of input.  Python query: answers the latest waiting-input
        (input() returns data; sys.stdin.readline() returns data + "\n").  Child
        process (batch step, shell query): data + "\n" is written to the child's
        stdin pipe, whether or not it is currently waiting (type-ahead).
        "data": null or "eof": true means end-of-file: input() raises EOFError,
        sys.stdin.readline() returns ""; a child's stdin pipe is closed (later
        input for that child is ignored).  Input while nothing runs is ignored.
  {"op": "complete", "code": "..."} -> {"event": "completions", "items": [...]}: completions of the
        identifier or attribute path that ends the code, from the namespace (rlcompleter); [] in shell
        mode. Handled between runs (it waits while a run is in progress).
  {"op": "exit"}
        Exit with status 0 (after the current run; like every non-"input" command
        received during a run it is queued until the run ends).

Events (runner -> Java):
  {"event": "ready", "pid": 123, "python": "3.11.7", "mode": "python"|"shell"}  once, at start-up
  {"event": "stdout"|"stderr", "data": "..."}
  {"event": "waiting-input", "password": false}
  {"event": "media", "mime": "image/png", "data": "data:image/png;base64,..."}
  {"event": "clean-finished", "exitCode": N}    batch only
  {"event": "build-finished", "exitCode": N}    batch only
  {"event": "finished", "exitCode": N}
  {"event": "exec-timeout"}
Every run (query or batch) ends with exactly one of "finished" or "exec-timeout",
emitted after ALL of the run's output (drain barrier; the one exception is the
abandoned Python query described under "Timeouts").  Runs never overlap: commands
are executed one after the other.
  Python query exit codes: 0 = ok or exception (traceback on stderr),
  n = SystemExit(n) (1 with a non-int message, written to stderr), 130 =
  interrupted, -1 = runner-internal failure.
  Child process exit codes (shell query, batch step): the exit status; a child
  killed by signal S gives 128 + S (SIGINT: 130, SIGKILL: 137).

Output coalescing: all output text goes into ONE queue, in the order it was
written, each part tagged with its stream.  The queue is emitted as one batch of
events -- consecutive parts of the same stream joined into ONE stdout/stderr
event, i.e. one event per change of stream -- when
  (a) it holds >= 65536 characters (both streams together, counted
      approximately; a single larger write is emitted whole, in one event),
  (b) any other event (waiting-input, media, clean-finished, build-finished,
      finished, exec-timeout) is emitted: the queued output goes first, so the
      order of all stdout/stderr/media/... records is exactly the order in which
      they were produced, or
  (c) its oldest part has waited about 20 ms (a background flusher thread), so
      slow writers stream live with ~20 ms latency.
A write to the other stream does not force an emission, it only starts a new
event in the batch (the order is kept).  flush() of sys.stdout/sys.stderr (and
print(flush=True)) is a no-op and emits nothing.  This applies to Python-level
writes (print, sys.stdout/sys.stderr and their .buffer, from any thread), to
fd-level output on the runner's fds 1/2 (subprocesses of Python code, C code;
read in 64 KiB chunks) and to the stdout/stderr pipes of child processes (read
in 64 KiB chunks).  Byte streams are decoded as UTF-8 incrementally (invalid
bytes become U+FFFD); events are never split inside a character.  Order is
preserved within each source (Python-level writes; each pipe); there is no
ordering guarantee between fd-level output and Python-level writes, nor between
the stdout and stderr pipes of a process.  Consumers must concatenate consecutive same-stream
events and must not assume any relation between events and lines.  (A process
forked by Python code, e.g. multiprocessing with "fork", writes its sys.stdout/
sys.stderr straight to fds 1/2, without coalescing.)

Child processes (batch steps; every query in shell mode):
  * The child runs in the working directory in its own session and process
    group (pgid = its pid), with stdin, stdout and stderr being pipes held by
    the runner.  stdout/stderr are emitted as stdout/stderr events (coalesced as
    above).  Shell-mode queries get the runner's environment plus
    LANG=C.UTF-8 and SHELL=<shell>.
  * The step/query ends when the child has exited AND its stdout/stderr reached
    EOF; its marker ("*-finished"/"finished"/"exec-timeout") is emitted after
    all its output.  If other processes (e.g. "sleep 60 &") still hold the pipes
    1 s after the child exited, the child's process group is SIGKILLed; if the
    pipes are still open 1 s later (a process left the group), their further
    output is discarded and the run ends anyway.  Processes of the group that
    closed the pipes keep running until the runner exits.
  * waiting-input detection (Linux; needs /proc, machine x86_64, aarch64 or
    riscv64 per os.uname().machine): when the child has produced no output and
    received no input for >= 100 ms, the runner checks, every 100 ms, whether a
    thread of a process of the child's process group is blocked in read(2) on
    the stdin pipe: the first field of /proc/<pid>/task/<tid>/syscall is the
    read syscall number (0 on x86_64, 63 on aarch64/riscv64), the second (hex)
    is an fd whose /proc/<pid>/fd/<fd> link equals the stdin pipe's
    "pipe:[<inode>]", and the pipe holds no unread data (FIONREAD).  The child
    itself is checked every time; the group's other processes are found by
    scanning /proc/*/stat for its pgid, at an interval that grows with the cost
    of the scan (>= 100 ms; ~5 % of a core at most).  Then it emits
    {"event": "waiting-input", "password": false} -- once per read: it is not
    repeated while the child stays blocked, and is emitted again only after an
    "input" with data was delivered and the child blocks again.  Never emitted
    after the stdin pipe was closed, or if /proc, /proc/<pid>/syscall (needs
    ptrace access to the child) or the syscall number is not available.  Reads
    via readv/select/poll, or from a terminal or another file, are not detected.
  * SIGINT to the runner is forwarded (as SIGINT) to the child's process group;
    if the child has not exited 2 s later the group is SIGKILLed.  The run reports the
    child's exit code (e.g. 130), and a batch skips its remaining steps: no
    marker for the interrupted step or later ones, just
    {"event": "finished", "exitCode": <that code>}.  A SIGINT that arrives in a
    batch between steps ends it with {"event": "finished", "exitCode": 130}.
  * EOF on the command channel during a child run ends the runner at once
    (killing the child's process group).

Timeouts ("timeout" of query/batch, counted from the start of the run):
  * Child runs: when exceeded, the running child's process group is SIGKILLed,
    its remaining output is emitted and then {"event": "exec-timeout"} INSTEAD
    of any marker; remaining batch steps are skipped.
  * Python queries: when exceeded, ExecTimeout (a subclass of KeyboardInterrupt,
    so "except Exception" does not catch it) is raised in the user code like a
    SIGINT; its traceback goes to stderr, then {"event": "exec-timeout"} is
    emitted instead of "finished" (also when the code caught the exception and
    ended normally).  If the query is still running 2 s after the exception was
    raised (it swallowed it, or is stuck in C code), the runner gives up on it:
    it emits {"event": "exec-timeout"} right away, and when the code eventually
    ends nothing more is emitted for it (output it writes meanwhile is still
    emitted); commands received meanwhile stay queued until it ends, a SIGINT
    still raises KeyboardInterrupt in it.  ExecTimeout is raised by a SIGINT
    sent to the runner's main thread, so it interrupts blocking calls such as
    time.sleep() and input(); it has no effect if the code installed its own
    SIGINT handler (then only the 2 s give-up applies).

Signals and end of input: SIGINT raises KeyboardInterrupt in a running Python
query, is forwarded to a running child (see above) and is ignored while idle.
EOF on the command channel makes the runner exit (a busy Python query gets 2 s
grace; a child run is killed at once); on exit the runner's own process group
and the process groups of all child processes it started are killed.

Rich output (Python mode): builtin display(obj, mime=None) and module
``backendai_display`` (display, display_html, display_image, display_svg);
matplotlib's plt.show() emits open figures as PNG (or SVG with env
BACKEND_MPL_FORMAT=svg).
"""
import ast, base64, builtins, codecs, collections, fcntl, functools, getpass, io, itertools
import json, linecache, math, mimetypes, operator, os, platform, queue, re, signal, stat, struct
import subprocess, sys, termios, threading, time, traceback, types, uuid

_SELF = (lambda: None).__code__.co_filename
_MAIN_TID = threading.get_ident()
_SENTINEL = b"\x00\x1b[backendai-drain-" + uuid.uuid4().hex.encode() + b":"
_LIMIT = 1 << 16          # coalescing buffer size (characters)
_DELAY = 0.02             # max. age of buffered output before the flusher emits it
_CHUNK = 1 << 16          # read size of fd-level pipes
_CHAN_PIPE = 1 << 18      # capacity requested for the event channel pipe (Linux)
_INT_GRACE = 2.0          # SIGINT -> SIGKILL grace of a child run / give-up of a query
_PIPE_GRACE = 1.0         # wait for pipe EOF after a child exited, before SIGKILL
_QUIET = 0.1              # waiting-input detection: quiet time and check interval
_READ_NR = {"x86_64": 0, "amd64": 0, "aarch64": 63, "arm64": 63,
            "riscv64": 63}.get(os.uname().machine)
_cmds = queue.Queue()            # parsed commands; None = command channel EOF
_deferred = collections.deque()  # commands that arrived while a run needed the queue
_emit_lock = threading.Lock()    # consumers of _out_q; the event channel
_drain_lock = threading.Lock()
_query_lock = threading.Lock()
_kick = threading.Event()        # wakes the flusher thread
_out_q = collections.deque()     # queued output: (stream, text), oldest first
_size = 0                        # ~characters in _out_q (approximate, not locked)
_armed = False                   # the flusher thread is watching _out_q
_t0 = 0.0                        # when it was armed (~ age of the oldest queued text)
_first, _second = operator.itemgetter(0), operator.itemgetter(1)
_event_fd = _cmd_fd = -1
_chan = None                     # buffered binary writer on the event channel
_forked = False
_SHELL = None                    # shell path in shell mode
_pumps, _orig_streams, _libc = [], [], []
_child_pgids = set()             # process groups of child processes we started
_NS = {}
_enc_str = json.encoder.encode_basestring            # C speedup, keeps non-ASCII
_enc_ascii = json.encoder.encode_basestring_ascii
_CTRL = bytes(range(32))
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class _S:  # mutable runner state
    busy = in_emit = eof = False  # busy: user Python code runs (KeyboardInterrupt allowed)
    pending_exc = None            # exception deferred while the main thread emitted
    timeout_fire = False          # the next SIGINT handler call is a query timeout
    timed_out = False             # the current Python query hit its timeout
    timeout_secs = 0.0
    qid = qdone = abandoned = 0   # Python query ids (current / ended / given up)
    child = None                  # the running _Child
    child_mode = False            # a batch or shell query is running
    int_req = False               # SIGINT during a child run while no child existed
    seq = 0


class ExecTimeout(KeyboardInterrupt):
    """Raised in a Python query that exceeded its "timeout"."""


# ------------------------------------------------------- events and coalescing
def _encode_text(stream, text):
    """The event line {"event":stream,"data":text} as UTF-8 bytes (fast path:
    bytes.replace for the usual escapes; other control characters and lone
    surrogates take the json module's encoder)."""
    try:
        b = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: fall back to \u escapes
        return ('{"event":"%s","data":%s}\n' % (stream, _enc_ascii(text))).encode("ascii")
    b = b.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n")
    b = b.replace(b"\r", b"\\r").replace(b"\t", b"\\t")
    if len(b.translate(None, _CTRL)) != len(b):  # other control characters
        b = _enc_str(text).encode("utf-8")
    else:
        b = b'"' + b + b'"'
    return b'{"event":"' + stream.encode("ascii") + b'","data":' + b + b'}\n'

def _encode_event(obj):
    try:
        return (_JSON.encode(obj) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(obj, separators=(",", ":")) + "\n").encode("ascii")

def _flush_locked(extra=b"", may_raise=True):
    """Emit all queued output (and then the encoded event line `extra`) as one
    batch; _emit_lock held.  On the main thread a SIGINT meanwhile only sets
    _S.pending_exc, which is raised here at the end (if user code is running),
    never in the middle of a line."""
    global _size
    main = threading.get_ident() == _MAIN_TID
    if main:
        _S.in_emit = True
    try:
        if _out_q:
            pop = _out_q.popleft
            items = [pop() for _ in range(len(_out_q))]  # only consumers pop
            _size = 0
            for stream, group in itertools.groupby(items, _first):
                _chan.write(_encode_text(stream, "".join(map(_second, group))))
        if extra:
            _chan.write(extra)
        _chan.flush()
    except (OSError, ValueError):  # nobody listens any more
        _terminate(0)
    finally:
        if main:
            _S.in_emit = False
    if main and may_raise and _S.pending_exc is not None:
        exc, _S.pending_exc = _S.pending_exc, None
        if _S.busy:
            raise exc

def _flush():
    with _emit_lock:
        _flush_locked()

def _arm():
    """Make the flusher emit the queue within _DELAY seconds."""
    global _armed, _t0
    _t0 = time.monotonic()
    _armed = True
    _kick.set()

def _put(stream, s):
    """Queue output text s (non-empty str) of "stdout"/"stderr"; any thread.

    Lock-free: writers only append (stream, text) to _out_q (atomic under the
    GIL); consumers pop under _emit_lock.  _make_writer() inlines this."""
    global _size
    if _forked:
        _write_all(1 if stream == "stdout" else 2, s.encode("utf-8", "replace"))
        return
    _out_q.append((stream, s))
    _size += len(s)
    if _size >= _LIMIT:
        _flush()
    elif not _armed:
        _arm()

def _make_writer(stream):
    """The write() of sys.stdout/sys.stderr: the hot path of print(), kept short."""
    append = _out_q.append

    def write(s):
        global _size
        if s.__class__ is not str:
            if not isinstance(s, str):
                raise TypeError("write() argument must be str, not %s" % type(s).__name__)
            s = str(s)
        n = len(s)
        if n:
            append((stream, s))
            _size += n
            if _size >= _LIMIT:
                _flush()
            elif not _armed:
                _arm()
        return n
    return write

def emit(obj):
    """Emit one event; stdout/stderr events are coalesced.  Safe from any thread,
    never leaves a partial line, keeps the order of all events."""
    event = obj.get("event")
    if event == "stdout" or event == "stderr":
        if obj.get("data"):
            _put(event, obj["data"])
        return
    if _forked:  # forked child (e.g. multiprocessing): only output goes via fds 1/2
        return
    line = _encode_event(obj)
    with _emit_lock:
        _flush_locked(line)

def _flusher():
    """Thread: emit queued output once the oldest part has waited _DELAY s."""
    global _armed, _t0
    while True:
        _kick.wait()
        while True:
            delay = _t0 + _DELAY - time.monotonic()
            if delay > 0:
                time.sleep(delay)
                continue
            _flush()
            _kick.clear()
            _armed = False
            if not _out_q:  # a writer appending after this sees _armed == False
                break
            _t0, _armed = time.monotonic(), True  # queued meanwhile: re-arm

def _grow_pipe(fd, size=_CHAN_PIPE):
    """Enlarge the pipe behind fd (Linux F_SETPIPE_SZ; fewer context switches)."""
    try:
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), size)
    except OSError:
        pass

def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]

def _terminate(status):
    """Terminate our children (our process group, child groups) and exit immediately."""
    for pgid in list(_child_pgids):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass
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
    """sys.stdout / sys.stderr replacement feeding the coalescing buffer."""
    mode, line_buffering = "w", True
    encoding = property(lambda self: "utf-8")
    errors = property(lambda self: "replace")
    name = property(lambda self: "<%s>" % self._event)
    closed = property(lambda self: False)

    def __init__(self, event, fd):
        super().__init__()
        self._event, self._fd = event, fd
        self.write = _make_writer(event)
        self.buffer = _BinaryOut(self)

    def write(self, s):  # replaced per instance by the faster _make_writer()
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        if s:
            _put(self._event, str(s))
        return len(s)

    def writable(self): return True
    def isatty(self): return False
    def fileno(self): return self._fd
    def flush(self): pass  # output is emitted by size, order or age, not by flush()
    def close(self): pass


def _fd_write(fd, s):
    """write() of sys.stdout/sys.stderr in a forked child: straight to the fd."""
    if not isinstance(s, str):
        raise TypeError("write() argument must be str, not %s" % type(s).__name__)
    _write_all(fd, s.encode("utf-8", "replace"))
    return len(s)


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
    """Barrier: wait until everything written to fds 1/2 so far was emitted
    (queued in the coalescing buffer; the next event flushes it)."""
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
    with _drain_lock:
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


# ------------------------------------------------------------ child processes
def _group_members(pgid):
    """Pids of the processes in process group pgid (via /proc)."""
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/%s/stat" % name, "rb") as f:
                    if int(f.read().rsplit(b")", 1)[1].split()[2]) == pgid:
                        pids.append(int(name))
            except (OSError, ValueError, IndexError):
                pass
    return pids

def _blocked_reading(pid, target):
    """Is a thread of pid blocked in read(2) on an fd whose link is target?"""
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return False
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/syscall" % (pid, tid), "rb") as f:
                fields = f.read().split()
            if len(fields) > 1 and int(fields[0]) == _READ_NR:
                if os.readlink("/proc/%d/fd/%d" % (pid, int(fields[1], 16))) == target:
                    return True
        except (OSError, ValueError):
            pass
    return False


class _Child:
    """A child process run (batch step or shell query) in its own process group."""

    def __init__(self, argv, env):
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env, start_new_session=True)
        self.pgid = self.proc.pid
        _child_pgids.add(self.pgid)
        self.active = time.monotonic()  # last output or input
        self.int_at = None              # when SIGINT was first forwarded
        self.drop = False               # discard output of lingering processes
        self.stdin_fd = self.proc.stdin.fileno()
        self.stdin_link = "pipe:[%d]" % os.fstat(self.stdin_fd).st_ino
        self.stdin_open = True
        self.next_scan = 0.0            # next /proc scan for the group's processes
        self.stdin_q = queue.Queue()
        self.threads = [threading.Thread(target=self._read, args=(self.proc.stdout, "stdout"),
                                         name="child-stdout", daemon=True),
                        threading.Thread(target=self._read, args=(self.proc.stderr, "stderr"),
                                         name="child-stderr", daemon=True)]
        for t in self.threads:
            t.start()
        threading.Thread(target=self._feed, name="child-stdin", daemon=True).start()

    def _read(self, pipe, stream):
        dec = codecs.getincrementaldecoder("utf-8")("replace")
        fd = pipe.fileno()
        try:
            while True:
                data = os.read(fd, _CHUNK)
                if not data:
                    break
                self.active = time.monotonic()
                text = dec.decode(data)
                if text and not self.drop:
                    _put(stream, text)
        except OSError:
            pass
        text = dec.decode(b"", True)
        if text and not self.drop:
            _put(stream, text)
        pipe.close()

    def _feed(self):
        while True:
            data = self.stdin_q.get()
            if data is None:
                break
            try:
                _write_all(self.stdin_fd, data)
            except OSError:  # the child does not read its stdin any more
                pass
        try:
            self.proc.stdin.close()
        except OSError:
            pass

    def input(self, cmd):
        """Deliver an "input" command; True if data was written."""
        data = cmd.get("data")
        if not self.stdin_open:
            return False
        if data is None or cmd.get("eof"):
            self.stdin_open = False
            self.stdin_q.put(None)
            return False
        self.active = time.monotonic()
        self.stdin_q.put((str(data) + "\n").encode("utf-8", "replace"))
        return True

    def send(self, sig):
        try:
            os.killpg(self.pgid, sig)
        except OSError:
            pass

    def interrupt(self):  # from the SIGINT handler
        if self.int_at is None:
            self.int_at = time.monotonic()
        self.send(signal.SIGINT)

    def waits_for_input(self):
        """Is a process of the group blocked reading the (empty) stdin pipe?"""
        try:
            buf = fcntl.ioctl(self.stdin_fd, termios.FIONREAD, b"\0\0\0\0")
            if struct.unpack("i", buf)[0] > 0:
                return False  # unread input: it is not waiting for more yet
        except OSError:
            pass
        if _blocked_reading(self.pgid, self.stdin_link):
            return True
        start = time.monotonic()
        if start < self.next_scan:
            return False
        try:  # other processes of the group: scanning /proc costs ~20 us per process,
            # so its interval adapts to keep the overhead at <= ~5 % of a core
            members = _group_members(self.pgid)
            return any(_blocked_reading(pid, self.stdin_link)
                       for pid in members if pid != self.pgid)
        except OSError:
            return False
        finally:
            now = time.monotonic()
            self.next_scan = now + max(_QUIET, 20 * (now - start))

    def run(self, deadline):
        """Wait for the child, serving "input" commands; returns (exit code, how)
        where how is None, "interrupted" or "timeout"."""
        how, waiting, next_check = None, False, 0.0
        _S.child = self
        try:
            if _S.int_req:
                self.interrupt()
            while self.proc.poll() is None:
                now = time.monotonic()
                if deadline is not None and now >= deadline:
                    how = "timeout"
                    self.send(signal.SIGKILL)
                    self.proc.wait()
                    break
                if self.int_at is not None and now - self.int_at >= _INT_GRACE:
                    self.send(signal.SIGKILL)
                try:
                    cmd = _cmds.get(timeout=0.01)
                except queue.Empty:
                    cmd = False
                if cmd is None:  # command channel EOF: end everything now
                    _S.eof = True
                    _terminate(0)
                elif cmd:
                    if cmd.get("op") == "input":
                        if self.input(cmd):
                            waiting = False  # a new read may block: report it again
                    else:
                        _deferred.append(cmd)
                if not waiting and self.stdin_open and _READ_NR is not None:
                    now = time.monotonic()
                    if now - self.active >= _QUIET and now >= next_check:
                        next_check = now + _QUIET
                        if self.waits_for_input() and self.proc.poll() is None:
                            waiting = True
                            emit({"event": "waiting-input", "password": False})
            self._wait_pipes()
        finally:
            _S.child = None
            if self.stdin_open:
                self.stdin_open = False
                self.stdin_q.put(None)
            try:
                os.killpg(self.pgid, 0)
            except OSError:  # the group is gone
                _child_pgids.discard(self.pgid)
        if how is None and self.int_at is not None:
            how = "interrupted"
        rc = self.proc.returncode
        return (128 - rc if rc < 0 else rc), how

    def _wait_pipes(self):
        """Wait for EOF on stdout/stderr (all output emitted)."""
        for step in (0, 1):
            end = time.monotonic() + _PIPE_GRACE
            for t in self.threads:
                t.join(max(0.0, end - time.monotonic()))
            if not any(t.is_alive() for t in self.threads):
                return
            if step == 0:  # lingering processes hold the pipes
                self.send(signal.SIGKILL)
        self.drop = True


def _child_env(shell):
    env = dict(os.environ)
    env["LANG"], env["SHELL"] = "C.UTF-8", shell
    return env

def _run_child(argv, env, deadline):
    """Run argv as a child process; returns (exit code, how) as _Child.run."""
    try:
        child = _Child(argv, env)
    except (OSError, ValueError, subprocess.SubprocessError) as e:  # ValueError: NUL byte
        _put("stderr", "%s: %s\n" % (argv[0], getattr(e, "strerror", None) or e))
        return (126 if isinstance(e, PermissionError) else 127), None
    return child.run(deadline)

def _step_argv(name, spec):
    """argv of a batch step; None: nothing to run (exit code 0); int: failed."""
    if spec is None or spec == "":
        return None
    spec = str(spec)
    if spec != "*":
        return ["/bin/sh", "-c", spec]
    if name == "clean":
        return None
    if name == "build":
        if os.path.isfile("Makefile"):
            return ["make"]
        if os.path.isfile("setup.py"):
            return [sys.executable, "-m", "pip", "install", "-e", "."]
        return None
    if _SHELL is not None:
        if os.path.isfile("main.sh"):
            return [_SHELL, "./main.sh"]
        main_file = "main.sh"
    else:
        if os.path.isfile("main.py"):
            return [sys.executable, "main.py"]
        main_file = "main.py"
    _put("stderr", "batch: no %s in %s, nothing to execute\n" % (main_file, os.getcwd()))
    return 127

def _deadline(timeout):
    return None if timeout is None else time.monotonic() + timeout

def _run_batch(cmd, timeout):
    deadline = _deadline(timeout)
    _S.int_req, _S.child_mode = False, True
    env = _child_env("/bin/sh")
    try:
        for name, marker in (("clean", "clean-finished"), ("build", "build-finished"),
                             ("exec", "finished")):
            if _S.int_req:
                return emit({"event": "finished", "exitCode": 130})
            if deadline is not None and time.monotonic() >= deadline:
                return emit({"event": "exec-timeout"})
            argv, how = _step_argv(name, cmd.get(name)), None
            if argv is None:
                code = 0
            elif isinstance(argv, int):
                code = argv
            else:
                code, how = _run_child(argv, env, deadline)
            if how == "timeout":
                return emit({"event": "exec-timeout"})
            if how == "interrupted":
                return emit({"event": "finished", "exitCode": code})
            emit({"event": marker, "exitCode": code})
            if name == "build" and code != 0:
                return emit({"event": "finished", "exitCode": 127})
    finally:
        _S.child_mode = False

def _run_shell_query(code, timeout):
    deadline = _deadline(timeout)
    _S.int_req, _S.child_mode = False, True
    try:
        status, how = _run_child([_SHELL, "-c", code], _child_env(_SHELL), deadline)
    finally:
        _S.child_mode = False
    if how == "timeout":
        emit({"event": "exec-timeout"})
    else:
        emit({"event": "finished", "exitCode": status})


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
    except KeyboardInterrupt as e:  # also ExecTimeout
        _show_exception(e)
        return 130
    except BaseException as e:
        _show_exception(e)
    return 0

def _query_timeout(qid):
    """Timer thread: the query ran too long; raise ExecTimeout in it."""
    with _query_lock:
        if _S.qdone == qid:
            return
        _S.timed_out = _S.timeout_fire = True
    giveup = threading.Timer(_INT_GRACE, _query_give_up, (qid,))
    giveup.daemon = True
    giveup.start()
    try:
        signal.pthread_kill(_MAIN_TID, signal.SIGINT)
    except (OSError, AttributeError):
        os.kill(os.getpid(), signal.SIGINT)

def _query_give_up(qid):
    """Timer thread: the query ignored ExecTimeout; report exec-timeout anyway."""
    with _query_lock:
        if _S.qdone == qid:
            return
        _S.abandoned = qid
    _drain(1.0)
    emit({"event": "exec-timeout"})

def _run_query(code, timeout=None):
    _S.pending_exc, _S.timeout_fire, _S.timed_out = None, False, False
    _S.qid += 1
    qid, timer, status = _S.qid, None, 0
    if timeout is not None:
        _S.timeout_secs = timeout
        timer = threading.Timer(timeout, _query_timeout, (qid,))
        timer.daemon = True
        timer.start()
    try:
        _patch_pyplot()
        _S.busy = True
        try:
            status = _execute(code)
        finally:
            _S.busy = False
    except KeyboardInterrupt as e:  # arrived just outside the user's code
        _ERR.write("%s\n" % type(e).__name__)
        status = 130
    except BaseException:
        _ERR.write("python_runner internal error:\n" + traceback.format_exc())
        status = -1
    if timer is not None:
        timer.cancel()
    _S.pending_exc = None
    _patch_pyplot()
    _drain()
    with _query_lock:
        _S.qdone = qid
        if _S.abandoned == qid:
            return
    if _S.timed_out:
        emit({"event": "exec-timeout"})
    else:
        emit({"event": "finished", "exitCode": status})

def _on_sigint(signum, frame):
    child = _S.child
    if child is not None:
        child.interrupt()
        return
    if _S.child_mode:  # a batch/shell query, between child processes
        _S.int_req = True
        return
    if not _S.busy:
        return  # idle: harmless
    if _S.timeout_fire:
        _S.timeout_fire = False
        exc = ExecTimeout("execution timed out after %g s" % _S.timeout_secs)
    else:
        exc = KeyboardInterrupt()
    if _S.in_emit:
        _S.pending_exc = exc  # raised by _flush_locked() once its line is complete
    else:
        raise exc

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

def _before_fork():
    try:
        with _emit_lock:  # emit buffered output before a child can add its own
            _flush_locked(may_raise=False)
    except BaseException:
        pass

def _after_fork_in_child():
    global _forked, _emit_lock
    _forked, _emit_lock = True, threading.Lock()
    _out_q.clear()
    _child_pgids.clear()
    for stream, fd in ((_OUT, 1), (_ERR, 2)):
        stream.write = functools.partial(_fd_write, fd)
    for fd in (_event_fd, _cmd_fd):
        try:
            os.close(fd)
        except OSError:
            pass

def _setup():
    global _event_fd, _cmd_fd, _OUT, _ERR, _NS, _chan
    try:
        os.setsid()
    except OSError:
        pass  # already a process group leader
    _cmd_fd, _event_fd = os.dup(0), os.dup(1)
    _chan = io.BufferedWriter(io.FileIO(_event_fd, "wb", closefd=False), 1 << 16)
    if stat.S_ISFIFO(os.fstat(_event_fd).st_mode):
        _grow_pipe(_event_fd)
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
    os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)
    signal.signal(signal.SIGINT, _on_sigint)
    for pump in _pumps:
        pump.start()
    threading.Thread(target=_flusher, name="flusher", daemon=True).start()
    threading.Thread(target=_read_commands, args=(_cmd_fd,), name="commands", daemon=True).start()

def _parse_args(args):
    global _SHELL
    i = 0
    while i < len(args):
        if args[i] == "--shell" and i + 1 < len(args):
            _SHELL, i = args[i + 1], i + 1
        elif args[i].startswith("--shell="):
            _SHELL = args[i][len("--shell="):]
        i += 1

def _timeout_of(cmd):
    value = cmd.get("timeout")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if 0 < value and math.isfinite(value) else None

_COMPLETION_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*$")

def _complete(code):
    """Completions of the identifier or attribute path that ends ``code``, from the session's namespace."""
    if _SHELL is not None:
        return []
    match = _COMPLETION_WORD.search(code)
    if not match:
        return []
    import rlcompleter
    completer = rlcompleter.Completer(_NS)
    items = []
    for state in range(200):
        try:
            item = completer.complete(match.group(0), state)
        except Exception:
            break
        if item is None:
            break
        if item not in items:
            items.append(item)
    return items

def main():
    _parse_args(sys.argv[1:])
    _setup()
    emit({"event": "ready", "pid": os.getpid(), "python": platform.python_version(),
          "mode": "python" if _SHELL is None else "shell"})
    while _deferred or not _S.eof:
        cmd = _deferred.popleft() if _deferred else _cmds.get()
        if cmd is None:
            _S.eof = True
            continue
        op = cmd.get("op")
        if op == "exit":
            break
        try:
            if op == "query":
                code = cmd.get("code")
                code = "" if code is None else str(code)
                if _SHELL is None:
                    _run_query(code, _timeout_of(cmd))
                else:
                    _run_shell_query(code, _timeout_of(cmd))
            elif op == "batch":
                _run_batch(cmd, _timeout_of(cmd))
            elif op == "complete":
                emit({"event": "completions", "items": _complete(str(cmd.get("code") or ""))})
        except Exception:  # a runner bug must not kill the session
            _put("stderr", "python_runner internal error:\n" + traceback.format_exc())
            emit({"event": "finished", "exitCode": -1})
    _terminate(0)

if __name__ == "__main__":
    main()

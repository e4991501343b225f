"""Tests for python_runner.py (the per-session Python runner).

Run from the repository root:
    python3 -m unittest discover -s local/src/test/python -v
The throughput tests print their MB/s; RUNNER_BENCH_100MB=1 adds the 100 MB
benchmark (1,000,000 print() calls of 100 bytes, must take well under 3 s).
"""
import ast
import base64
import importlib.util
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

RUNNER = os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "main", "resources",
    "ai", "backend", "local", "runtime", "python_runner.py"))
HAS_MPL = importlib.util.find_spec("matplotlib") is not None


class Runner:
    """Starts the runner and exchanges JSON lines with it."""

    def __init__(self, cwd, env=None, args=()):
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-u", RUNNER] + list(args), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, cwd=cwd, env=full_env)
        self.events = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            event = json.loads(line.decode("utf-8"))
            event["_t"] = time.monotonic()  # arrival time (test-side only)
            self.events.put(event)
        self.events.put(None)

    def send(self, obj):
        self.proc.stdin.write((json.dumps(obj) + "\n").encode("utf-8"))
        self.proc.stdin.flush()

    def next_event(self, timeout=10):
        try:
            event = self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("no event within %ss" % timeout)
        if event is None:
            raise AssertionError("runner closed its event channel")
        return event

    def until(self, predicate, timeout=10):
        """Events up to and including the first one matching predicate."""
        events = []
        while True:
            events.append(self.next_event(timeout))
            if predicate(events[-1]):
                return events

    def finish(self, timeout=10):
        return self.until(lambda e: e["event"] == "finished", timeout)

    def end(self, timeout=10):
        """Events up to the end of a run: "finished" or "exec-timeout"."""
        return self.until(lambda e: e["event"] in ("finished", "exec-timeout"), timeout)

    def query(self, code, timeout=10):
        self.send({"op": "query", "code": code})
        return self.finish(timeout)

    def batch(self, wait=10, **fields):
        """Run {"op": "batch", **fields}; events up to its end."""
        self.send(dict(fields, op="batch"))
        return self.end(wait)

    def kill(self):
        if self.proc.poll() is None:
            try:  # EOF: the runner ends itself and kills its child process groups
                self.proc.stdin.close()
                self.proc.wait(1)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # runner leads its group
            except OSError:
                self.proc.kill()
        self.proc.wait(5)
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.reader.join(5)
        self.proc.stdout.close()


def process_gone(pid, timeout=5):
    """Wait until pid has exited (is gone or a zombie); False if it survived."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open("/proc/%d/stat" % pid) as f:
                if f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return True
        except OSError:
            return True  # gone (or no /proc)
        time.sleep(0.05)
    return False


def text(events, stream="stdout"):
    return "".join(e["data"] for e in events if e["event"] == stream)


def kinds(events):
    """Event names, with consecutive stdout/stderr chunks merged."""
    out = []
    for e in events:
        if not (out and e["event"] in ("stdout", "stderr") and out[-1] == e["event"]):
            out.append(e["event"])
    return out


def timeline(events):
    """Events as a list: (stream, text) for output (consecutive chunks of a stream
    merged), the event name for anything else."""
    out = []
    for e in events:
        if e["event"] in ("stdout", "stderr"):
            if out and isinstance(out[-1], tuple) and out[-1][0] == e["event"]:
                out[-1] = (e["event"], out[-1][1] + e["data"])
            else:
                out.append((e["event"], e["data"]))
        else:
            out.append(e["event"])
    return out


def exit_code(events):
    assert events[-1]["event"] == "finished", events[-1]
    return events[-1]["exitCode"]


def merged(events):
    """Consecutive stdout/stderr chunks merged: [(stream, text), ...]."""
    out = []
    for e in events:
        if e["event"] in ("stdout", "stderr"):
            if out and out[-1][0] == e["event"]:
                out[-1] = (e["event"], out[-1][1] + e["data"])
            else:
                out.append((e["event"], e["data"]))
    return out


class RunnerTest(unittest.TestCase):
    env = None

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="runner-test-")
        self.r = Runner(self.tmp, self.env)
        self.ready = self.r.next_event()

    def tearDown(self):
        self.r.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_ready_event(self):
        self.assertEqual(self.ready["event"], "ready")
        self.assertEqual(self.ready["pid"], self.r.proc.pid)
        self.assertRegex(self.ready["python"], r"^\d+\.\d+")
        self.assertEqual(self.ready["mode"], "python")

    def test_state_kept_between_queries(self):
        self.assertEqual(exit_code(self.r.query("x = 5")), 0)
        events = self.r.query("print(x)")
        self.assertEqual(text(events), "5\n")
        self.assertEqual(exit_code(events), 0)
        self.assertEqual(text(self.r.query("__name__")), "'__main__'\n")

    def test_stdout_stderr_order(self):
        events = self.r.query(
            "import sys\nfor i in range(5):\n"
            "    print('out', i)\n    print('err', i, file=sys.stderr)\n")
        expected = []
        for i in range(5):
            expected += [("stdout", "out %d\n" % i), ("stderr", "err %d\n" % i)]
        self.assertEqual(merged(events), expected)

    def test_last_expression_repr(self):
        events = self.r.query("a = [1, 'two']\na")
        self.assertEqual(text(events), "[1, 'two']\n")
        self.assertEqual(text(self.r.query("_")), "[1, 'two']\n")
        self.assertEqual(text(self.r.query("None")), "")
        self.assertEqual(text(self.r.query("x = 1")), "")

    def test_exception_traceback(self):
        events = self.r.query("def f():\n    raise ValueError('boom')\nf()")
        self.assertEqual(exit_code(events), 0)
        err = text(events, "stderr")
        lines = err.splitlines()
        self.assertEqual(lines[0], "Traceback (most recent call last):")
        self.assertEqual(lines[1].strip(), 'File "<input>", line 3, in <module>')
        self.assertIn('File "<input>", line 2, in f', err)
        self.assertIn("raise ValueError('boom')", err)
        self.assertEqual(lines[-1], "ValueError: boom")
        self.assertNotIn("python_runner", err)
        self.assertEqual(text(self.r.query("1 + 1")), "2\n")

    def test_syntax_error(self):
        events = self.r.query("x = (1,\nprint(x")
        self.assertEqual(exit_code(events), 0)
        err = text(events, "stderr")
        self.assertIn('File "<input>", line', err)
        self.assertIn("SyntaxError", err)
        self.assertNotIn("Traceback", err)
        self.assertNotIn("python_runner", err)

    def test_system_exit(self):
        self.assertEqual(exit_code(self.r.query("import sys\nsys.exit(3)")), 3)
        self.assertEqual(exit_code(self.r.query("raise SystemExit")), 0)
        events = self.r.query("import sys; sys.exit('bye')")
        self.assertEqual(exit_code(events), 1)
        self.assertEqual(text(events, "stderr"), "bye\n")
        events = self.r.query("print('still alive')")
        self.assertEqual((text(events), exit_code(events)), ("still alive\n", 0))

    def test_subprocess_output_before_finished(self):
        # (fd-level output has no ordering guarantee relative to Python-level writes)
        events = self.r.query('import os\nrc = os.system("echo from-shell; echo oops >&2")')
        self.assertEqual(text(events), "from-shell\n")
        self.assertEqual(text(events, "stderr"), "oops\n")

    def test_large_python_output(self):
        events = self.r.query("for i in range(10000):\n    print('%06d' % i + 'x' * 93)")
        expected = "".join("%06d" % i + "x" * 93 + "\n" for i in range(10000))
        self.assertEqual(len(expected), 1000000)
        self.assertEqual(text(events), expected)

    def test_large_subprocess_output(self):
        code = ("import subprocess, sys\n"
                "subprocess.run([sys.executable, '-c', "
                "\"import sys\\nfor i in range(10000): sys.stdout.write('%06d' % i + 'y' * 93 + '\\\\n')\"])"
                "\nNone")
        events = self.r.query(code)
        expected = "".join("%06d" % i + "y" * 93 + "\n" for i in range(10000))
        self.assertEqual(text(events, "stderr"), "")
        self.assertEqual(text(events), expected)

    def test_input_round_trip(self):
        self.r.send({"op": "query", "code": "name = input('Name? ')\nprint('hello', name)"})
        events = self.r.until(lambda e: e["event"] == "waiting-input")
        self.assertEqual(text(events), "Name? ")
        self.assertIs(events[-1]["password"], False)
        self.r.send({"op": "input", "data": "Bob"})
        events = self.r.finish()
        self.assertEqual((text(events), exit_code(events)), ("hello Bob\n", 0))

    def test_stdin_readline_and_queued_query(self):
        self.r.send({"op": "query", "code": "import sys\nline = sys.stdin.readline()\nline"})
        self.r.until(lambda e: e["event"] == "waiting-input")
        self.r.send({"op": "query", "code": "print('second')"})  # must wait its turn
        self.r.send({"op": "input", "data": "abc"})
        self.assertEqual(text(self.r.finish()), "'abc\\n'\n")
        self.assertEqual(text(self.r.finish()), "second\n")

    def test_getpass(self):
        self.r.send({"op": "query", "code": "import getpass\np = getpass.getpass()\nlen(p)"})
        events = self.r.until(lambda e: e["event"] == "waiting-input")
        self.assertEqual(text(events), "Password: ")
        self.assertIs(events[-1]["password"], True)
        self.r.send({"op": "input", "data": "s3cret"})
        self.assertEqual(text(self.r.finish()), "6\n")

    def test_sigint_interrupts_query(self):
        self.r.send({"op": "query", "code": "print('started')\nwhile True:\n    pass"})
        self.r.until(lambda e: e["event"] == "stdout" and "started" in e["data"])
        time.sleep(0.1)
        os.kill(self.r.proc.pid, signal.SIGINT)
        events = self.r.finish()
        self.assertEqual(exit_code(events), 130)
        self.assertIn("KeyboardInterrupt", text(events, "stderr"))
        self.assertNotIn("python_runner", text(events, "stderr"))
        self.assertEqual(text(self.r.query("1 + 1")), "2\n")

    def test_sigint_while_waiting_for_input(self):
        self.r.send({"op": "query", "code": "input('? ')"})
        self.r.until(lambda e: e["event"] == "waiting-input")
        os.kill(self.r.proc.pid, signal.SIGINT)
        events = self.r.finish()
        self.assertEqual(exit_code(events), 130)
        self.assertIn("KeyboardInterrupt", text(events, "stderr"))
        self.assertEqual(text(self.r.query("'ok'")), "'ok'\n")

    def test_sigint_while_idle_is_harmless(self):
        os.kill(self.r.proc.pid, signal.SIGINT)
        time.sleep(0.2)
        self.assertIsNone(self.r.proc.poll())
        events = self.r.query("1 + 1")
        self.assertEqual((text(events), exit_code(events)), ("2\n", 0))

    def test_eof_on_command_channel_exits(self):
        self.r.proc.stdin.close()
        self.assertEqual(self.r.proc.wait(5), 0)

    def test_eof_while_waiting_for_input(self):
        self.r.send({"op": "query", "code": "input()"})
        self.r.until(lambda e: e["event"] == "waiting-input")
        self.r.proc.stdin.close()
        events = self.r.finish()
        self.assertIn("EOFError", text(events, "stderr"))
        self.r.proc.wait(5)

    def test_exit_op_kills_children(self):
        events = self.r.query("import subprocess\np = subprocess.Popen(['sleep', '30'])\np.pid")
        pid = int(text(events))
        self.r.send({"op": "exit"})
        self.assertEqual(self.r.proc.wait(5), 0)
        self.assertTrue(process_gone(pid), "child process survived the runner")

    def test_display_rich_objects(self):
        events = self.r.query(
            "class H:\n    def _repr_html_(self): return '<b>hi</b>'\n"
            "class P:\n    def _repr_png_(self): return b'\\x89PNG'\n"
            "display(H())\ndisplay(P())\ndisplay(42)\n"
            "import backendai_display as bd\nbd.display_svg('<svg/>')\nbd.display_html('<i>x</i>')")
        media = [(e["mime"], e["data"]) for e in events if e["event"] == "media"]
        self.assertEqual(media, [
            ("text/html", "<b>hi</b>"),
            ("image/png", "data:image/png;base64," + base64.b64encode(b"\x89PNG").decode()),
            ("image/svg+xml", "<svg/>"),
            ("text/html", "<i>x</i>")])
        self.assertEqual(text(events), "42\n")

    def test_non_utf8_subprocess_output(self):
        events = self.r.query(
            "import subprocess, sys\n"
            "subprocess.run([sys.executable, '-c', \"import os; os.write(1, b'a\\\\xffb\\\\n')\"])\n"
            "None")
        self.assertEqual(text(events), "a\ufffdb\n")

    def test_cwd_is_session_dir(self):
        value = ast.literal_eval(text(self.r.query("import os\nos.getcwd()")))
        self.assertEqual(os.path.realpath(value), os.path.realpath(self.tmp))

    def test_pyplot_show_hook_with_stub_module(self):
        # A stand-in "matplotlib" package in the session dir exercises the import hook.
        pkg = os.path.join(self.tmp, "matplotlib")
        os.mkdir(pkg)
        open(os.path.join(pkg, "__init__.py"), "w").close()
        with open(os.path.join(pkg, "pyplot.py"), "w") as f:
            f.write("figs = {}\n"
                    "class Fig:\n"
                    "    def savefig(self, buf, format=None, **kw):\n"
                    "        buf.write(b'FAKE-' + format.encode())\n"
                    "def plot(*a):\n    figs.setdefault(1, Fig())\n"
                    "def get_fignums():\n    return sorted(figs)\n"
                    "def figure(num):\n    return figs[num]\n"
                    "def close(which):\n    figs.clear()\n"
                    "def show():\n    print('original show')\n")
        events = self.r.query("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\nplt.show()")
        media = [(e["mime"], e["data"]) for e in events if e["event"] == "media"]
        self.assertEqual(media, [("image/png", "data:image/png;base64,"
                                  + base64.b64encode(b"FAKE-png").decode())])
        self.assertEqual(text(events), "")


class PumpScanTest(unittest.TestCase):
    """In-process test of the drain-sentinel scanner with data split at every byte."""

    def test_sentinel_split_across_reads(self):
        spec = importlib.util.spec_from_file_location("python_runner_under_test", RUNNER)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)  # main() is not run on import
        got = []
        mod.emit = got.append
        pump = mod._FdPump("stdout", -1, -1)
        data = (b"hello \xe2\x82\xac \x00x" + mod._SENTINEL + b"7;" + b"w\xc3\xa9"
                + mod._SENTINEL[:5] + b"!" + mod._SENTINEL + b"8;")
        buf = b""
        for i in range(len(data)):
            buf = pump._scan(buf + data[i:i + 1])
            if i == len(data) - 3:
                self.assertEqual(pump.seen, 7)
        self.assertEqual(buf, b"")
        self.assertEqual(pump.seen, 8)
        self.assertEqual("".join(e["data"] for e in got),
                         "hello \u20ac \x00xw\u00e9" + mod._SENTINEL[:5].decode() + "!")


@unittest.skipUnless(HAS_MPL, "matplotlib is not installed")
class MatplotlibTest(unittest.TestCase):
    def start(self, env=None):
        self.tmp = tempfile.mkdtemp(prefix="runner-test-")
        self.r = Runner(self.tmp, env)
        self.assertEqual(self.r.next_event()["event"], "ready")

    def tearDown(self):
        self.r.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_show_png(self):
        self.start()
        events = self.r.query("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()\n"
                              "len(plt.get_fignums())", timeout=60)
        media = [e for e in events if e["event"] == "media"]
        self.assertEqual(len(media), 1, events)
        self.assertEqual(media[0]["mime"], "image/png")
        self.assertTrue(media[0]["data"].startswith("data:image/png;base64,iVBOR"))
        self.assertEqual(text(events), "0\n")

    def test_show_svg(self):
        self.start({"BACKEND_MPL_FORMAT": "svg"})
        events = self.r.query("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()",
                              timeout=60)
        media = [e for e in events if e["event"] == "media"]
        self.assertEqual([m["mime"] for m in media], ["image/svg+xml"])
        self.assertIn("<svg", media[0]["data"])


def syscall_detection_available():
    """waiting-input detection of child processes needs /proc/<pid>/syscall."""
    return (os.uname().machine in ("x86_64", "amd64", "aarch64", "arm64", "riscv64")
            and os.path.exists("/proc/self/syscall"))


HAS_PROC_SYSCALL = syscall_detection_available()


class RunnerCase(unittest.TestCase):
    """A fresh runner per test (Python mode unless args say otherwise)."""
    args = ()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="runner-test-")
        self.r = Runner(self.tmp, None, self.args)
        self.ready = self.r.next_event()
        self.assertEqual(self.ready["event"], "ready")

    def tearDown(self):
        self.r.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write_file(self, name, content):
        with open(os.path.join(self.tmp, name), "w") as f:
            f.write(content)

    def check_numbered_lines(self, out, count, width):
        """out must be lines "%07d" % i + "x" * (width - 8) for i in range(count)."""
        lines = out.split("\n")
        self.assertEqual(lines.pop(), "")
        self.assertEqual(len(lines), count)
        for i, line in enumerate(lines):  # every line once, in order, intact
            if line != "%07d" % i + "x" * (width - 8):
                self.fail("line %d is %r" % (i, line[:40]))


class OutputCoalescingTest(RunnerCase):
    @unittest.skipUnless(os.environ.get("RUNNER_BENCH_100MB"), "set RUNNER_BENCH_100MB=1")
    def test_throughput_python_print_100mb(self):
        """The benchmark of the brief: 1,000,000 x print('x' * 99) in well under 3 s."""
        start = time.monotonic()
        self.r.send({"op": "query", "code": "for i in range(1_000_000): print('x' * 99)"})
        size, n_events = 0, 0
        while True:  # count on the fly: keeping 100 MB of events would skew the timing
            event = self.r.next_event(60)
            if event["event"] != "stdout":
                break
            data = event["data"]
            self.assertEqual(data.count("x"), len(data) - data.count("\n"))
            size, n_events = size + len(data), n_events + 1
        elapsed = event["_t"] - start
        self.assertEqual(event, dict(event, event="finished", exitCode=0))
        self.assertEqual(size, 100 * 1000 * 1000)
        sys.stderr.write("\n  [python print] 100 MB in %.3f s = %.1f MB/s, %d events ... "
                         % (elapsed, 100 / elapsed, n_events))
        self.assertLess(elapsed, 3.0)

    def test_throughput_python_print_10mb(self):
        count = 100000  # 100-byte lines: 10 MB
        start = time.monotonic()
        self.r.send({"op": "query", "code":
                     "for i in range(%d):\n    print('%%07d' %% i + 'x' * 92)" % count})
        events = self.r.finish(60)
        elapsed = events[-1]["_t"] - start
        out = text(events)
        self.assertEqual(len(out.encode()), count * 100)
        self.check_numbered_lines(out, count, 100)
        self.assertEqual(exit_code(events), 0)
        n_events = len(events) - 1
        self.assertLess(n_events, 2 * count * 100 // 65536 + 10)  # coalesced
        sys.stderr.write("\n  [python print] 10 MB in %.3f s = %.1f MB/s, %d events ... "
                         % (elapsed, 10 / elapsed, n_events))

    def test_throughput_subprocess_10mb(self):
        count = 100000
        code = ("import subprocess, sys\n"
                "subprocess.run([sys.executable, '-c', 'import sys\\n"
                "for i in range(%d): sys.stdout.write(\"%%07d\" %% i + \"y\" * 92 + \"\\\\n\")'])"
                "\nNone" % count)
        start = time.monotonic()
        self.r.send({"op": "query", "code": code})
        events = self.r.finish(60)
        elapsed = events[-1]["_t"] - start
        out = text(events).replace("y", "x")
        self.assertEqual(text(events, "stderr"), "")
        self.check_numbered_lines(out, count, 100)
        self.assertLess(len(events) - 1, 2 * count * 100 // 65536 + 10)
        sys.stderr.write("\n  [subprocess fd 1] 10 MB in %.3f s = %.1f MB/s ... "
                         % (elapsed, 10 / elapsed))

    def test_flush_does_not_split_events(self):
        events = self.r.query("import sys\nfor i in range(1000):\n"
                              "    print(i, flush=True)\n    sys.stdout.flush()")
        self.assertEqual(text(events), "".join("%d\n" % i for i in range(1000)))
        self.assertLessEqual(len(events), 5)  # one or very few stdout events + finished

    def test_slow_output_streams_live(self):
        start = time.monotonic()
        self.r.send({"op": "query", "code": "import time\nprint('first')\n"
                                            "time.sleep(0.6)\nprint('second')"})
        events = self.r.finish()
        first = [e for e in events if e["event"] == "stdout" and "first" in e["data"]][0]
        self.assertNotIn("second", first["data"])
        self.assertLess(first["_t"] - start, 0.4)  # flushed by age (~20 ms), not at the end
        self.assertEqual(text(events), "first\nsecond\n")

    def test_order_of_streams_and_media(self):
        self.r.send({"op": "query", "code":
            "import sys\nprint('a')\nprint('b')\ndisplay('<b>x</b>', 'text/html')\n"
            "print('e1', file=sys.stderr)\nsys.stdout.write('c')\nsys.stdout.buffer.write(b'd\\n')\n"
            "sys.stderr.write('e2\\n')\nprint('f')\ninput('? ')"})
        events = self.r.until(lambda e: e["event"] == "waiting-input")
        self.assertEqual(kinds(events), ["stdout", "media", "stderr", "stdout", "stderr",
                                         "stdout", "waiting-input"])
        self.assertEqual(merged(events), [("stdout", "a\nb\n"), ("stderr", "e1\n"),
                                          ("stdout", "cd\n"), ("stderr", "e2\n"),
                                          ("stdout", "f\n? ")])
        self.r.send({"op": "input", "data": "x"})
        self.assertEqual(exit_code(self.r.finish()), 0)

    def test_multibyte_characters_intact(self):
        events = self.r.query("print('\\u00e9\\u20ac\\U0001F600' * 40000)")
        self.assertEqual(text(events), "\u00e9\u20ac\U0001F600" * 40000 + "\n")
        # one byte per write() at the fd level, spread over several pipe reads
        events = self.r.query(
            "import subprocess, sys\n"
            "subprocess.run([sys.executable, '-c', 'import os, time\\n"
            "for b in \"\\u00e9\\u20ac\\U0001F600\".encode():\\n"
            "    os.write(1, bytes([b])); time.sleep(0.03)'])\nNone")
        self.assertEqual(text(events), "\u00e9\u20ac\U0001F600")

    def test_control_characters_and_quotes(self):
        payload = "tab\t cr\r quote\" backslash\\ esc\x1b[1m nul\x00 del\x7f \u2028 end"
        events = self.r.query("import sys\nsys.stdout.write(%r)\nNone" % payload)
        self.assertEqual(text(events), payload)
        events = self.r.query("import sys\nsys.stdout.write('a\\udcffb')\nNone")  # lone surrogate
        self.assertEqual(text(events), "a\udcffb")

    def test_threads_writing_concurrently(self):
        events = self.r.query(
            "import threading, sys\n"
            "def work(k):\n"  # (print() makes two writes: text and newline)
            "    for i in range(2000):\n"
            "        sys.stdout.write('t%d-%d\\n' % (k, i))\n"
            "        sys.stderr.write('e%d-%d\\n' % (k, i))\n"
            "ts = [threading.Thread(target=work, args=(k,)) for k in range(4)]\n"
            "for t in ts: t.start()\n"
            "for t in ts: t.join()")
        out, err = text(events).split(), text(events, "stderr").split()
        for k in range(4):  # nothing lost, nothing on the wrong stream, order per thread
            self.assertEqual([x for x in out if x.startswith("t%d-" % k)],
                             ["t%d-%d" % (k, i) for i in range(2000)])
            self.assertEqual([x for x in err if x.startswith("e%d-" % k)],
                             ["e%d-%d" % (k, i) for i in range(2000)])
        self.assertEqual(len(out) + len(err), 16000)


class QueryTimeoutTest(RunnerCase):
    def test_timeout_interrupts_query(self):
        start = time.monotonic()
        self.r.send({"op": "query", "code": "import time\nprint('before')\ntime.sleep(10)",
                     "timeout": 0.3})
        events = self.r.end()
        self.assertEqual(events[-1]["event"], "exec-timeout")
        self.assertLess(events[-1]["_t"] - start, 1.5)
        self.assertEqual(text(events), "before\n")
        self.assertIn("ExecTimeout", text(events, "stderr"))
        self.assertNotIn("python_runner", text(events, "stderr"))
        self.assertNotIn("finished", [e["event"] for e in events])
        events = self.r.query("print('next')")
        self.assertEqual((text(events), exit_code(events)), ("next\n", 0))

    def test_no_timeout_when_fast_enough(self):
        self.r.send({"op": "query", "code": "x = 1", "timeout": 5})
        self.assertEqual(exit_code(self.r.end()), 0)
        self.r.send({"op": "query", "code": "import time\ntime.sleep(0.4)", "timeout": None})
        self.assertEqual(exit_code(self.r.end()), 0)

    def test_timeout_caught_by_user_code_still_reported(self):
        self.r.send({"op": "query", "code": "import time\ntry:\n    time.sleep(10)\n"
                     "except KeyboardInterrupt as e:\n    print(type(e).__name__)\n",
                     "timeout": 0.3})
        events = self.r.end()
        self.assertEqual(events[-1]["event"], "exec-timeout")
        self.assertEqual(text(events), "ExecTimeout\n")

    def test_timeout_gives_up_on_unresponsive_query(self):
        start = time.monotonic()
        self.r.send({"op": "query", "code": "import time\ntry:\n    time.sleep(10)\n"
                     "except BaseException:\n    pass\nprint('swallowed')\n"
                     "time.sleep(3)\nprint('late')", "timeout": 0.3})
        events = self.r.end()
        self.assertEqual(events[-1]["event"], "exec-timeout")
        self.assertGreater(events[-1]["_t"] - start, 2.0)  # 0.3 s + 2 s grace
        self.assertLess(events[-1]["_t"] - start, 3.0)
        self.assertEqual(text(events), "swallowed\n")
        self.r.send({"op": "query", "code": "print('next')"})  # queued until it ends
        events = self.r.finish()
        self.assertEqual(text(events), "late\nnext\n")  # no event for the abandoned query
        self.assertEqual([e["event"] for e in events].count("finished"), 1)


class BatchTest(RunnerCase):
    def test_steps_markers_and_output(self):
        events = self.r.batch(clean="echo cleaning; echo oops >&2",
                              build="echo building",
                              exec='echo "$LANG $SHELL"; pwd; exit 3')
        # (a child's stdout and stderr are separate pipes: no order between them)
        self.assertEqual(sorted(timeline(events)[:2]), [("stderr", "oops\n"),
                                                        ("stdout", "cleaning\n")])
        self.assertEqual(timeline(events)[2:5], ["clean-finished", ("stdout", "building\n"),
                                                 "build-finished"])
        self.assertEqual(kinds(events)[5:], ["stdout", "finished"])
        lang_shell, cwd = timeline(events)[5][1].splitlines()
        self.assertEqual(lang_shell, "C.UTF-8 /bin/sh")
        self.assertEqual(os.path.realpath(cwd), os.path.realpath(self.tmp))
        self.assertEqual([e["exitCode"] for e in events if "exitCode" in e], [0, 0, 3])

    def test_skipped_steps_still_report(self):
        events = self.r.batch(clean=None, build="", exec=None)
        self.assertEqual([(e["event"], e["exitCode"]) for e in events],
                         [("clean-finished", 0), ("build-finished", 0), ("finished", 0)])
        self.r.send({"op": "batch"})  # missing keys are null
        self.assertEqual(kinds(self.r.end()), ["clean-finished", "build-finished", "finished"])

    def test_failing_clean_does_not_stop_the_batch(self):
        events = self.r.batch(clean="exit 4", build=None, exec="echo ran")
        self.assertEqual([e.get("exitCode") for e in events if e["event"] != "stdout"], [4, 0, 0])
        self.assertEqual(text(events), "ran\n")

    def test_build_failure_skips_exec(self):
        events = self.r.batch(clean=None, build="echo compiling; exit 2", exec="echo ran")
        self.assertEqual(kinds(events), ["clean-finished", "stdout", "build-finished",
                                         "finished"])
        self.assertEqual(events[-2]["exitCode"], 2)
        self.assertEqual(events[-1]["exitCode"], 127)
        self.assertEqual(text(events), "compiling\n")

    def test_default_heuristics(self):
        events = self.r.batch(clean="*", build="*", exec="*")  # empty directory
        self.assertEqual([e.get("exitCode") for e in events if e["event"] != "stderr"],
                         [0, 0, 127])
        self.assertIn("main.py", text(events, "stderr"))
        self.write_file("main.py", "import sys\nprint('main', sys.argv)\n")
        events = self.r.batch(clean="*", build="*", exec="*")
        self.assertEqual(text(events), "main ['main.py']\n")
        self.assertEqual(exit_code(events), 0)

    @unittest.skipUnless(shutil.which("make"), "make is not installed")
    def test_default_build_runs_make(self):
        self.write_file("Makefile", "all:\n\t@echo made > made.txt\n\t@echo making\n")
        self.write_file("main.py", "print(open('made.txt').read().strip())\n")
        events = self.r.batch(clean="*", build="*", exec="*")
        self.assertEqual(timeline(events), ["clean-finished", ("stdout", "making\n"),
                                            "build-finished", ("stdout", "made\n"), "finished"])
        self.assertEqual([e.get("exitCode") for e in events if "exitCode" in e], [0, 0, 0])

    def test_command_not_found(self):
        events = self.r.batch(exec="no-such-command-xyz")
        self.assertEqual(exit_code(events), 127)
        self.assertIn("no-such-command-xyz", text(events, "stderr"))

    def test_sigint_stops_batch(self):
        self.r.send({"op": "batch", "clean": "echo c", "build": "echo started; sleep 10",
                     "exec": "echo never"})
        events = self.r.until(lambda e: e["event"] == "stdout" and "started" in e["data"])
        time.sleep(0.2)
        os.kill(self.r.proc.pid, signal.SIGINT)
        events += self.r.end(5)
        self.assertEqual(kinds(events), ["stdout", "clean-finished", "stdout", "finished"])
        self.assertEqual(events[-1]["exitCode"], 130)
        self.assertNotIn("never", text(events))
        self.assertEqual(exit_code(self.r.batch(exec="echo again")), 0)  # still usable

    def test_sigint_ignored_by_child_is_followed_by_sigkill(self):
        self.r.send({"op": "batch", "exec": "trap '' INT; echo ready; sleep 10; echo survived"})
        self.r.until(lambda e: e["event"] == "stdout" and "ready" in e["data"])
        time.sleep(0.2)
        start = time.monotonic()
        os.kill(self.r.proc.pid, signal.SIGINT)
        events = self.r.end(6)
        self.assertEqual(exit_code(events), 128 + signal.SIGKILL)
        self.assertGreater(events[-1]["_t"] - start, 1.8)
        self.assertNotIn("survived", text(events))

    def test_timeout(self):
        start = time.monotonic()
        events = self.r.batch(clean="echo c", build=None, exec="echo started; sleep 10",
                              timeout=0.5, wait=5)
        self.assertEqual(kinds(events), ["stdout", "clean-finished", "build-finished",
                                         "stdout", "exec-timeout"])
        self.assertLess(events[-1]["_t"] - start, 2.0)
        events = self.r.batch(clean="sleep 10", build="echo no", exec="echo no", timeout=0.3)
        self.assertEqual(kinds(events), ["exec-timeout"])
        self.assertEqual(exit_code(self.r.batch(exec="true")), 0)

    def test_background_process_holding_pipes(self):
        start = time.monotonic()
        events = self.r.batch(exec="sleep 30 & echo $!")
        pid = int(text(events))
        self.assertEqual(exit_code(events), 0)
        self.assertLess(events[-1]["_t"] - start, 5)  # not 30 s: lingering group killed
        self.assertTrue(process_gone(pid))

    def test_detached_background_process_killed_at_exit(self):
        events = self.r.batch(exec="sleep 30 >/dev/null 2>&1 </dev/null & echo $!")
        pid = int(text(events))
        self.assertFalse(process_gone(pid, 0.2))  # keeps running during the session
        self.r.send({"op": "exit"})
        self.assertEqual(self.r.proc.wait(5), 0)
        self.assertTrue(process_gone(pid))

    def test_eof_during_batch_kills_child(self):
        self.r.send({"op": "batch", "exec": "echo $$; exec sleep 30"})
        pid = int(self.r.until(lambda e: e["event"] == "stdout")[-1]["data"])
        self.r.proc.stdin.close()
        self.assertEqual(self.r.proc.wait(5), 0)
        self.assertTrue(process_gone(pid))

    def test_other_commands_queued_during_batch(self):
        self.r.send({"op": "batch", "exec": "sleep 0.3; echo one"})
        self.r.send({"op": "query", "code": "print('two')"})
        self.assertEqual(text(self.r.end()), "one\n")
        self.assertEqual(text(self.r.finish()), "two\n")

    def test_throughput_batch_10mb(self):
        count = 100000
        self.write_file("gen.py", "import sys\nw = sys.stdout.write\n"
                        "for i in range(%d): w('%%07d' %% i + 'x' * 92 + '\\n')\n" % count)
        start = time.monotonic()
        events = self.r.batch(exec="%s gen.py" % sys.executable, wait=60)
        elapsed = events[-1]["_t"] - start
        self.assertEqual(exit_code(events), 0)
        self.check_numbered_lines(text(events), count, 100)
        sys.stderr.write("\n  [batch child pipe] 10 MB in %.3f s = %.1f MB/s ... "
                         % (elapsed, 10 / elapsed))

    def test_input_without_detection(self):
        self.r.send({"op": "batch", "exec": "sleep 0.2; read a; read b; echo \"$a+$b\"; cat"})
        self.r.send({"op": "input", "data": "x"})  # type-ahead
        self.r.send({"op": "input", "data": "y"})
        self.r.send({"op": "input", "data": "z"})
        self.r.send({"op": "input", "eof": True})
        events = self.r.end()
        self.assertEqual(text(events), "x+y\nz\n")
        self.assertEqual(exit_code(events), 0)
        self.assertNotIn("waiting-input", kinds(events))

    @unittest.skipUnless(HAS_PROC_SYSCALL, "no /proc/<pid>/syscall")
    def test_waiting_input_detection(self):
        self.r.send({"op": "batch", "exec": "printf 'name? '; read a; echo \"hi $a\"; "
                                            "read b; echo \"bye $b\""})
        events = self.r.until(lambda e: e["event"] == "waiting-input")
        self.assertEqual(text(events), "name? ")
        self.assertIs(events[-1]["password"], False)
        with self.assertRaises(AssertionError):  # once per read: not repeated
            self.r.until(lambda e: True, timeout=0.4)
        self.r.send({"op": "input", "data": "Ann"})
        events = self.r.until(lambda e: e["event"] == "waiting-input")
        self.assertEqual(text(events), "hi Ann\n")
        self.r.send({"op": "input", "data": "Bob"})
        events = self.r.end()
        self.assertEqual((text(events), exit_code(events)), ("bye Bob\n", 0))
        self.assertNotIn("waiting-input", kinds(events))

    @unittest.skipUnless(HAS_PROC_SYSCALL, "no /proc/<pid>/syscall")
    def test_waiting_input_of_grandchild_and_eof(self):
        self.write_file("main.py", "import sys\nprint('lines:', len(sys.stdin.readlines()))\n")
        self.r.send({"op": "batch", "build": "sleep 0.3", "exec": "*"})  # quiet, not reading
        events = self.r.until(lambda e: e["event"] == "waiting-input")
        self.assertEqual(kinds(events), ["clean-finished", "build-finished", "waiting-input"])
        self.r.send({"op": "input", "data": "one"})
        self.r.until(lambda e: e["event"] == "waiting-input")
        self.r.send({"op": "input", "eof": True})
        events = self.r.end()
        self.assertEqual((text(events), exit_code(events)), ("lines: 1\n", 0))


class ShellModeTest(RunnerCase):
    args = ("--shell", "/bin/bash")

    def test_ready_reports_shell_mode(self):
        self.assertEqual(self.ready["mode"], "shell")
        self.assertEqual(self.ready["pid"], self.r.proc.pid)

    def test_query_runs_in_shell(self):
        events = self.r.query('echo "$BASH_VERSION" | cut -c1; echo "$SHELL $LANG"; pwd; '
                              'x=1; echo err >&2; exit 5')
        out = text(events).splitlines()
        self.assertTrue(out[0].isdigit())
        self.assertEqual(out[1], "/bin/bash C.UTF-8")
        self.assertEqual(os.path.realpath(out[2]), os.path.realpath(self.tmp))
        self.assertEqual(text(events, "stderr"), "err\n")
        self.assertEqual(exit_code(events), 5)
        events = self.r.query('cd /; echo "[$x]"')  # a new shell per query
        self.assertEqual((text(events), exit_code(events)), ("[]\n", 0))
        self.assertEqual(os.path.realpath(text(self.r.query("pwd")).strip()),
                         os.path.realpath(self.tmp))

    def test_sigint_and_timeout(self):
        self.r.send({"op": "query", "code": "echo go; sleep 10"})
        self.r.until(lambda e: e["event"] == "stdout")
        time.sleep(0.2)
        os.kill(self.r.proc.pid, signal.SIGINT)
        self.assertEqual(exit_code(self.r.end(5)), 130)
        self.r.send({"op": "query", "code": "echo go; sleep 10", "timeout": 0.3})
        events = self.r.end(5)
        self.assertEqual(kinds(events), ["stdout", "exec-timeout"])
        os.kill(self.r.proc.pid, signal.SIGINT)  # idle: harmless
        time.sleep(0.2)
        self.assertEqual(text(self.r.query("echo ok")), "ok\n")

    @unittest.skipUnless(HAS_PROC_SYSCALL, "no /proc/<pid>/syscall")
    def test_input(self):
        self.r.send({"op": "query", "code": "read -r a; echo \"got $a\"; cat"})
        events = self.r.until(lambda e: e["event"] == "waiting-input")
        self.r.send({"op": "input", "data": "one two"})
        events += self.r.until(lambda e: e["event"] == "waiting-input")  # now cat reads
        self.r.send({"op": "input", "data": "line"})
        events += self.r.until(lambda e: e["event"] == "waiting-input")
        self.r.send({"op": "input", "data": None})
        events += self.r.end()
        self.assertEqual(timeline(events), ["waiting-input", ("stdout", "got one two\n"),
                                            "waiting-input", ("stdout", "line\n"),
                                            "waiting-input", "finished"])

    def test_batch_default_exec_runs_main_sh(self):
        events = self.r.batch(clean="*", build="*", exec="*")
        self.assertEqual(exit_code(events), 127)
        self.assertIn("main.sh", text(events, "stderr"))
        self.write_file("main.sh", 'echo "main.sh $0"; exit 7\n')  # not executable
        events = self.r.batch(clean="*", build="*", exec="*")
        self.assertEqual((text(events), exit_code(events)), ("main.sh ./main.sh\n", 7))

    def test_missing_shell(self):
        r = Runner(self.tmp, None, ("--shell", "/no/such/shell"))
        try:
            self.assertEqual(r.next_event()["mode"], "shell")
            events = r.query("echo hi")
            self.assertEqual(exit_code(events), 127)
            self.assertIn("/no/such/shell", text(events, "stderr"))
        finally:
            r.kill()


class EncodingTest(unittest.TestCase):
    """In-process test of the fast event encoder against the json module."""

    def test_encode_text_matches_json(self):
        spec = importlib.util.spec_from_file_location("python_runner_enc_test", RUNNER)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        samples = ["", "plain", 'q"uo\\te', "nl\ncr\rtab\t", "esc\x1b[0m", "nul\x00",
                   "\x7f\u2028\u00e9\u20ac\U0001F600", "a\udcffb", "\x1f" * 3]
        for sample in samples:
            for stream in ("stdout", "stderr"):
                line = mod._encode_text(stream, sample)
                self.assertTrue(line.endswith(b"\n"))
                self.assertEqual(line.count(b"\n"), 1)
                self.assertEqual(json.loads(line), {"event": stream, "data": sample})
                if "\udcff" not in sample:
                    self.assertEqual(line, (json.dumps({"event": stream, "data": sample},
                                                       ensure_ascii=False,
                                                       separators=(",", ":")) + "\n").encode())


if __name__ == "__main__":
    unittest.main()

"""Tests for python_runner.py (the per-session Python runner).

Run from the repository root:
    python3 -m unittest discover -s local/src/test/python -v
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

    def __init__(self, cwd, env=None):
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-u", RUNNER], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, cwd=cwd, env=full_env)
        self.events = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.events.put(json.loads(line.decode("utf-8")))
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

    def query(self, code, timeout=10):
        self.send({"op": "query", "code": code})
        return self.finish(timeout)

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # runner leads its group
            except OSError:
                self.proc.kill()
        self.proc.wait(5)
        self.proc.stdin.close()
        self.reader.join(5)
        self.proc.stdout.close()


def text(events, stream="stdout"):
    return "".join(e["data"] for e in events if e["event"] == stream)


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
        deadline = time.time() + 5
        while time.time() < deadline:
            try:
                with open("/proc/%d/stat" % pid) as f:
                    if f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                        break
            except OSError:
                break  # gone (or no /proc)
            time.sleep(0.05)
        else:
            self.fail("child process survived the runner")

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


if __name__ == "__main__":
    unittest.main()

"""Terminal bridge of a Backend.AI local session: runs a shell on a pseudo-terminal.

Started by the local server for a terminal stream (protocol section 5.2) with the session's working
directory and environment: ``python3 pty_bridge.py SHELL``.

* stdin (from the server): frames of ``type (1 byte) + length (4 bytes, big-endian) + payload``:
  ``d`` = bytes to type into the terminal, ``r`` = resize, payload ``rows, cols`` as two big-endian
  unsigned shorts.
* stdout (to the server): the terminal's output, raw bytes.
* It ends when the shell exits or stdin closes (then the shell gets SIGHUP).
"""
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios


def main():
    shell = sys.argv[1] if len(sys.argv) > 1 else "/bin/sh"
    pid, master = pty.fork()
    if pid == 0:
        args = [shell, "-i"] if os.path.basename(shell) in ("bash", "sh", "dash", "zsh") else [shell]
        try:
            os.execvpe(shell, args, os.environ)
        finally:
            os._exit(127)
    pending = b""
    try:
        while True:
            readable, _, _ = select.select([master, 0], [], [])
            if master in readable:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    break  # EIO: the shell has exited
                if not data:
                    break
                os.write(1, data)
            if 0 in readable:
                chunk = os.read(0, 65536)
                if not chunk:
                    break
                pending += chunk
                while len(pending) >= 5:
                    kind = pending[0:1]
                    size = struct.unpack(">I", pending[1:5])[0]
                    if len(pending) < 5 + size:
                        break
                    payload, pending = pending[5:5 + size], pending[5 + size:]
                    if kind == b"d":
                        os.write(master, payload)
                    elif kind == b"r" and len(payload) == 4:
                        rows, cols = struct.unpack(">HH", payload)
                        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    finally:
        try:
            os.kill(pid, signal.SIGHUP)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


if __name__ == "__main__":
    main()

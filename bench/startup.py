#!/usr/bin/env python3
"""Start-up benchmark of the backend.ai CLI.

Measures `backend.ai --help` and `backend.ai config` against a bare `java -version`, side by side,
over repeated runs (interleaved, so that machine noise hits all three alike), and reports the medians
and the ratios. Target (issue 2): each command at most 4 times `java -version`.

Usage: bench/startup.py [RUNS]     (default 21 runs each; builds the CLI first if needed)
Nothing is configured for the measured commands: they run with a temporary HOME, so `config` shows
the local-server default without starting it.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(ROOT, "bin", "backend.ai")


def timed(cmd, env):
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    home = tempfile.mkdtemp(prefix="bench-home-")
    env = {"PATH": os.environ["PATH"], "HOME": home}
    if "JAVA_HOME" in os.environ:
        env["JAVA_HOME"] = os.environ["JAVA_HOME"]
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if "JAVA_HOME" in os.environ else "java"
    subprocess.run([LAUNCHER, "--version"], env=env, check=True, stdout=subprocess.DEVNULL)  # build + CDS archive
    cases = {
        "java -version": [java, "-version"],
        "backend.ai --help": [LAUNCHER, "--help"],
        "backend.ai config": [LAUNCHER, "config"],
    }
    for cmd in cases.values():  # warm the page cache
        timed(cmd, env)
    samples = {name: [] for name in cases}
    for _ in range(runs):
        for name, cmd in cases.items():
            samples[name].append(timed(cmd, env))
    base = statistics.median(samples["java -version"])
    print(f"{'command':<20} {'median':>9} {'p90':>9} {'ratio':>7}   ({runs} runs each, interleaved)")
    worst = 0.0
    for name, values in samples.items():
        med = statistics.median(values)
        p90 = sorted(values)[int(0.9 * (len(values) - 1))]
        ratio = med / base
        if name != "java -version":
            worst = max(worst, ratio)
        print(f"{name:<20} {med * 1000:8.1f}ms {p90 * 1000:8.1f}ms {ratio:6.2f}x")
    print(f"worst ratio {worst:.2f}x (target: at most 4.00x)")


if __name__ == "__main__":
    main()

"""Whole-process timing for the scripts beside this file: wall time, CPU time and peak resident
memory of each run (from the kernel's rusage, as GNU time's %M reports it), runs interleaved
so that a change in the machine's load hits every command alike."""

import os
import statistics
import subprocess
import tempfile
import time


TIME = "/usr/bin/time"


def run_once(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
    """Runs argv once; returns (wall seconds, CPU seconds, peak RSS in KiB, exit code).

    The peak RSS comes from GNU time (`%M`) rather than from our own wait4: a child that
    Python forks or vforks starts its high-water mark at Python's own size, which can be more
    than the command's."""
    if not os.access(TIME, os.X_OK):
        raise SystemExit(f"{TIME} (GNU time) is needed for peak memory: apt-get install time")
    with tempfile.NamedTemporaryFile(mode="r", prefix="kbuild-time-") as report:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [TIME, "-q", "-f", "%x %M", "-o", report.name] + list(argv),
            stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
        )
        # The rusage of `time` includes the command's (its waited-for child) CPU time.
        _, _, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = 0
        fields = report.read().split()
    if len(fields) != 2:
        raise SystemExit(f"could not run {argv[0]} under {TIME}")
    code, rss = int(fields[0]), int(fields[1])
    return wall, usage.ru_utime + usage.ru_stime, rss, code


def measure(commands, runs, warmup):
    """Times each (name, argv) of commands `runs` times after `warmup` untimed rounds.

    Returns {name: [(wall, cpu, rss_kib), ...]}. A run that fails stops the measurement."""
    samples = {name: [] for name, _ in commands}
    for round_ in range(warmup + runs):
        for name, argv in commands:
            wall, cpu, rss, code = run_once(argv)
            if code != 0:
                raise SystemExit(f"{name} exited with {code} during timing: {' '.join(argv)}")
            if round_ >= warmup:
                samples[name].append((wall, cpu, rss))
    return samples


def medians(runs):
    """(median wall, median CPU, median RSS KiB, min wall, max wall) of a command's runs."""
    walls = [r[0] for r in runs]
    return (
        statistics.median(walls),
        statistics.median(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
        min(walls),
        max(walls),
    )


def machine_note():
    """The machine's size and load: timings on a shared machine need both."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs, load average {load}"

#!/usr/bin/env python3
"""Daemon benchmark (issue 2): drop-settled-to-job-started latency and idle CPU of the real `sluice watch`.

Usage: Benchmarks/daemon/run.py [path/to/sluice]   (default: .build/release/sluice; build it with
`swift build -c release --product sluice`).

1. Idle: starts `sluice watch` on a fresh root, waits 60 s, reads the daemon's CPU time (utime+stime from
   /proc/PID/stat), beside `inotifywait -m -r` (the usual peer, apt: inotify-tools) watching the same root.
2. Latency: 20 drops (a folder of 3 small PNGs moved into inbox/); for each, the time from the drop settling
   (the move + watch.settle_ms) to the job's job.json appearing. Reports median and max.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from benchkit import png, start, stop_started  # noqa: E402

SETTLE_MS = 500
IDLE_SECONDS = int(os.environ.get("IDLE_SECONDS", "60"))


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def main() -> None:
    sluice = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/sluice")
    work = tempfile.mkdtemp(prefix="sluice-daemon-bench-")
    root = os.path.join(work, "root")
    subprocess.run([sluice, "init", root], check=True, stdout=subprocess.DEVNULL, env={**os.environ, "HOME": work})
    config = os.path.join(root, "sluice.yaml")
    text = open(config).read().replace("autotag: civitai", "autotag: off").replace("settle_ms: 2000", f"settle_ms: {SETTLE_MS}")
    open(config, "w").write(text)

    daemon = start([sluice, "watch", root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peer = shutil.which("inotifywait")
    watcher = start([peer, "-m", "-r", "-q", root], stdout=subprocess.DEVNULL) if peer else None
    time.sleep(2)
    start_daemon = cpu_seconds(daemon.pid)
    start_peer = cpu_seconds(watcher.pid) if watcher else 0.0
    time.sleep(IDLE_SECONDS)
    idle_daemon = cpu_seconds(daemon.pid) - start_daemon
    idle_peer = (cpu_seconds(watcher.pid) - start_peer) if watcher else float("nan")
    print(f"idle CPU over {IDLE_SECONDS} s: sluice watch {idle_daemon:.3f} s, inotifywait -m -r {idle_peer:.3f} s")

    jobs = os.path.join(root, ".sluice", "jobs")
    latencies = []
    for drop in range(20):
        staging = os.path.join(work, f"drop{drop}")
        os.makedirs(staging)
        for index in range(3):
            with open(os.path.join(staging, f"img{index}.png"), "wb") as handle:
                handle.write(png(drop * 10 + index, size=32))
        before = set(os.listdir(jobs)) if os.path.isdir(jobs) else set()
        os.rename(staging, os.path.join(root, "inbox", f"drop{drop}"))
        settled_at = time.monotonic() + SETTLE_MS / 1000
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            now = set(os.listdir(jobs)) if os.path.isdir(jobs) else set()
            if now - before:
                latencies.append(time.monotonic() - settled_at)
                break
            time.sleep(0.002)
        time.sleep(0.3)
    daemon.terminate()
    daemon.wait(timeout=30)
    if watcher:
        watcher.terminate()
    shutil.rmtree(work, ignore_errors=True)
    millis = sorted(1000 * value for value in latencies)
    print(f"drop settled -> job started ({len(millis)} drops, settle_ms {SETTLE_MS}): "
          f"median {statistics.median(millis):.0f} ms, max {max(millis):.0f} ms, min {min(millis):.0f} ms")
    print(f"daemon exit status after SIGTERM: {daemon.returncode}")


if __name__ == "__main__":
    try:
        main()
    finally:
        stop_started()

"""Pieces the Python benchmark scripts share: generated PNGs and the processes a script starts (and ends, by pid)."""
import struct
import subprocess
import zlib


def png(seed: int, size: int = 48) -> bytes:
    """A small RGB PNG whose pixels depend on `seed`, so each seed gives distinct bytes and a distinct image."""
    raw = bytearray()
    for y in range(size):
        raw.append(0)
        for x in range(size):
            raw += bytes(((x * 7 + seed) & 255, (y * 3 + (seed >> 8)) & 255, (x ^ y ^ seed) & 255))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b""))


# Every process a script starts, so its end stops exactly those (by pid) and nothing else on the machine.
STARTED: list = []


def start(arguments, **options) -> subprocess.Popen:
    """Starts a process and remembers it for `stop_started`."""
    process = subprocess.Popen(arguments, **options)
    STARTED.append(process)
    return process


def stop_started() -> None:
    """SIGTERM each process this script started that still runs, then SIGKILL it after 10 s."""
    for process in STARTED:
        if process.poll() is None:
            process.terminate()
    for process in STARTED:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

#!/usr/bin/env python3
"""Library profile benchmarks through the real binary (issue 12).

Usage: Benchmarks/library-daemon/run.py [quota|memory|all] [path/to/sluice]
(default: all, .build/release/sluice; build it with `swift build -c release --product sluice`).

quota:  40 images dropped into a library root watched by `sluice watch`, against a loopback SauceNAO that allows
        4 searches per 30 s (a sliding window, 429 with the real HTML body beyond it; Danbooru finds none by MD5,
        IQDB is not reached because SauceNAO finds each). Prints the job's wall time (drop settled -> COMPLETED)
        beside the minimum the quota allows ((40/4 - 1) x 30 s = 270 s) and the 429s provoked.
memory: peak RSS (/usr/bin/time -v) of `sluice library run` over 1,000 and 10,000 small generated PNGs (48x48),
        every stage on, lookups against the same loopback fakes without a limit (zero latency), review: never.
        Prints both and their ratio (the issue asks for at most 2x).

Loopback only; stops only the processes it started (by pid).
"""
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from benchkit import png, start, stop_started  # noqa: E402

SHORT_LIMIT = 4
WINDOW = 30.0


SAUCE_SHORT_HTML = ("<strong>Search Rate Too High.</strong><br /><br />Your IP/account has exceeded the basic 30 second "
                    "search rate limit. Please wait a bit before searching again.")
IQDB_NO_MATCH = ("<!DOCTYPE html><html><body><div id='pages' class='pages'><div><table><tr><th>Your image</th></tr></table></div>"
                 "<div><table><tr><th>No relevant matches</th></tr></table></div></div></body></html>")


class Fakes:
    """Danbooru, SauceNAO, IQDB and Gelbooru on one loopback port; SauceNAO limited to `limit` searches per 30 s."""

    def __init__(self, limit):
        self.limit = limit
        self.lock = threading.Lock()
        self.searches = []
        self.too_many = 0
        self.post_id = 5_000_000
        fakes = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, body, kind="application/json"):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                fakes.route(self)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                fakes.route(self)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def route(self, handler):
        path = handler.path
        if path.startswith("/danbooru/"):
            match = re.search(r"posts/(\d+)\.json", path)
            if match:
                post = {"id": int(match.group(1)), "md5": "0" * 32, "rating": "g", "source": "",
                        "tag_string_general": "1girl solo smile", "tag_string_character": "",
                        "tag_string_copyright": "original", "tag_string_artist": "someone", "tag_string_meta": "highres",
                        "file_url": "https://cdn.donmai.us/original/00/00/x.png"}
                return handler.reply(200, json.dumps(post))
            return handler.reply(404, '{"success":false,"error":"ActiveRecord::RecordNotFound","message":"That record was not found.","backtrace":[]}')
        if path.startswith("/saucenao/"):
            now = time.time()
            with self.lock:
                in_window = [t for t in self.searches if t > now - WINDOW]
                if self.limit and len(in_window) >= self.limit:
                    self.too_many += 1
                    return handler.reply(429, SAUCE_SHORT_HTML, "text/html")
                self.searches.append(now)
                self.post_id += 1
                remaining = (self.limit - len(in_window) - 1) if self.limit else 999
                post_id = self.post_id
            short = self.limit or 1000
            body = ('{"header":{"user_id":"12345","account_type":"1","short_limit":"%d","long_limit":"100000",'
                    '"long_remaining":99999,"short_remaining":%d,"status":0,"results_requested":"8",'
                    '"index":{"9":{"status":0,"parent_id":9,"id":9,"results":8}},"search_depth":"128",'
                    '"minimum_similarity":45.21,"query_image_display":"q.png","query_image":"q.png","results_returned":1},'
                    '"results":[{"header":{"similarity":"93.12","thumbnail":"https://img3.saucenao.com/q.jpg","index_id":9,'
                    '"index_name":"Index #9: Danbooru - q.jpg","dupes":0,"hidden":0},"data":{"ext_urls":'
                    '["https://danbooru.donmai.us/post/show/%d"],"danbooru_id":%d,"creator":"someone","material":"original",'
                    '"characters":"","source":""}}]}') % (short, remaining, post_id, post_id)
            return handler.reply(200, body)
        if path.startswith("/iqdb/"):
            return handler.reply(200, IQDB_NO_MATCH, "text/html")
        return handler.reply(200, '{"@attributes":{"limit":100,"offset":0,"count":0}}')

    def config(self, batch_size):
        base = "http://127.0.0.1:%d" % self.port
        return ("profile: library\nlibrary:\n  review: never\n  batch_size: %d\nwatch:\n  settle_ms: 500\nlookup:\n"
                "  saucenao: {endpoint: \"%s/saucenao\", api_key: \"k\"}\n"
                "  danbooru: {endpoint: \"%s/danbooru\", login: \"l\", api_key: \"k\"}\n"
                "  iqdb: {endpoint: \"%s/iqdb\"}\n  gelbooru: {endpoint: \"%s/gelbooru\"}\n") % (batch_size, base, base, base, base)


def library_root(sluice, base, fakes, batch_size):
    root = os.path.join(base, "root")
    subprocess.run([sluice, "init", root, "--profile", "library"], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(root, "sluice.yaml"), "w") as handle:
        handle.write(fakes.config(batch_size))
    return root


def write_drop(folder, count, offset=0):
    os.makedirs(folder)
    for index in range(count):
        with open(os.path.join(folder, "img-%05d.png" % index), "wb") as handle:
            handle.write(png(offset + index))


def job_status(root):
    jobs = os.path.join(root, ".sluice", "jobs")
    for name in os.listdir(jobs) if os.path.isdir(jobs) else []:
        try:
            with open(os.path.join(jobs, name, "job.json")) as handle:
                job = json.load(handle)
            return job["machine"]["status"], job
        except (OSError, ValueError, KeyError):
            pass
    return None, None


def quota(sluice):
    base = tempfile.mkdtemp(prefix="sluice-bench-libq-")
    try:
        fakes = Fakes(limit=SHORT_LIMIT)
        root = library_root(sluice, base, fakes, batch_size=10)
        daemon = start([sluice, "watch", root], stderr=open(os.path.join(base, "daemon.log"), "w"))
        time.sleep(2)
        write_drop(os.path.join(base, "drop"), 40)
        os.rename(os.path.join(base, "drop"), os.path.join(root, "inbox", "drop"))
        dropped = time.monotonic()
        status = None
        while time.monotonic() - dropped < 1200:
            status, job = job_status(root)
            if status in ("COMPLETED", "FAILED"):
                break
            time.sleep(0.2)
        wall = time.monotonic() - dropped - 0.5  # the settle period is the user's choice, not the job's work
        minimum = (40 / SHORT_LIMIT - 1) * WINDOW
        print("quota: 40 images, SauceNAO 4 searches / 30 s, through `sluice watch` (review: never)")
        print("  job status                %s" % status)
        print("  job wall time             %.1f s" % wall)
        print("  quota minimum             %.1f s" % minimum)
        print("  over the minimum          %.1f %%" % ((wall - minimum) / minimum * 100))
        print("  SauceNAO searches / 429s  %d / %d" % (len(fakes.searches), fakes.too_many))
        daemon.terminate()
        daemon.wait(timeout=30)
    finally:
        stop_started()
        shutil.rmtree(base, ignore_errors=True)


def peak_rss(sluice, count):
    base = tempfile.mkdtemp(prefix="sluice-bench-libm-")
    try:
        fakes = Fakes(limit=0)
        root = library_root(sluice, base, fakes, batch_size=100)
        drop = os.path.join(base, "drop")
        write_drop(drop, count)
        started = time.monotonic()
        process = start(["/usr/bin/time", "-v", sluice, "library", "run", drop, "--root", root],
                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        _, errors = process.communicate()
        wall = time.monotonic() - started
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", errors).group(1))
        placed = sum(len([f for f in files if not f.endswith(".xmp")]) for _, _, files in os.walk(os.path.join(root, "final")))
        return rss, wall, placed, process.returncode
    finally:
        stop_started()
        shutil.rmtree(base, ignore_errors=True)


def memory(sluice):
    print("memory: `sluice library run`, every stage, zero-latency loopback fakes, 48x48 PNGs, batches of 100")
    figures = {}
    for count in (1000, 10000):
        rss, wall, placed, code = peak_rss(sluice, count)
        figures[count] = rss
        print("  %6d images: peak RSS %7.1f MB, wall %6.1f s, %d placed in final/, exit %d" % (count, rss / 1024, wall, placed, code))
    print("  ratio 10,000 / 1,000: %.2fx (at most 2x asked)" % (figures[10000] / figures[1000]))


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    sluice = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else ".build/release/sluice")
    if what in ("quota", "all"):
        quota(sluice)
    if what in ("memory", "all"):
        memory(sluice)


if __name__ == "__main__":
    main()

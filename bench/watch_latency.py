#!/usr/bin/env python3
"""Edit-to-preview latency of `sitegen watch` on a generated corpus, per kind
of edit.

Starts `sitegen watch` on the sitegen flavour of ../shared/bench/gen_corpus.py
(on a tmpfs), listens to its Server-Sent Events, then makes --edits edits of
each kind and measures, for each, the time until the change is in the output
(edit -> on disk) and until the reload event reaches this listener (edit ->
reload received). Kinds: a body append, a new title (lists and "Read more"
lists show it), a changed tag, a new article, and deleting that article.
Prints median, min and max per kind.

    python3 bench/watch_latency.py --n 10000 [--edits 10] [--dir /dev/shm/sitegen-bench]

Needs a release build (cargo build --release). Standard library only.
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.join(os.path.dirname(REPO), "shared", "bench", "gen_corpus.py")


class Watch:
    """A running `sitegen watch` and the reload events it sends."""

    def __init__(self, site, preview):
        exe = os.path.join(REPO, "target", "release", "sitegen")
        self.proc = subprocess.Popen([exe, "watch", "--root", site, "--port", "0", "--output", preview],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        url = None
        for line in self.proc.stdout:
            m = re.search(r"http://([\d.]+):(\d+)/", line)
            if m:
                url = (m.group(1), int(m.group(2)))
                break
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()
        self.reloads = []
        self.sock = socket.create_connection(url)
        self.sock.sendall(f"GET /__sitegen/events HTTP/1.1\r\nHost: {url[0]}:{url[1]}\r\n\r\n".encode())
        threading.Thread(target=self.listen, daemon=True).start()
        time.sleep(1)

    def listen(self):
        buf = b""
        while True:
            data = self.sock.recv(4096)
            if not data:
                return
            buf += data
            while b"event: reload" in buf:
                self.reloads.append(time.perf_counter())
                buf = buf.split(b"event: reload", 1)[1]

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def timed(watch, change, done):
    """Makes `change`, then waits until `done()` is true and a reload came."""
    before = len(watch.reloads)
    start = time.perf_counter()
    change()
    seen = None
    while time.perf_counter() - start < 60:
        if seen is None and done():
            seen = time.perf_counter()
        if seen is not None and len(watch.reloads) > before:
            break
        time.sleep(0.002)
    if seen is None or len(watch.reloads) <= before:
        sys.exit("an edit did not reach the preview within 60 s")
    time.sleep(0.3)
    return seen - start, watch.reloads[before] - start


def contains(path, text):
    try:
        return text in open(path, encoding="utf-8").read()
    except FileNotFoundError:
        return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--dir", default="/dev/shm/sitegen-bench")
    args = ap.parse_args()
    site = os.path.join(args.dir, str(args.n), "sitegen")
    if not os.path.isdir(os.path.join(site, "content")):
        subprocess.run([sys.executable, GEN, "--flavor", "sitegen", "--images", "--n", str(args.n), "--out", site,
                        "--seed", "1"], check=True, stderr=subprocess.DEVNULL)
    preview = os.path.join(args.dir, str(args.n), "watch-out")
    news = os.path.join(site, "content", "news")
    article = sorted(f for f in os.listdir(news) if f.endswith(".md"))[0]
    src = os.path.join(news, article)
    original = open(src, encoding="utf-8").read()
    watch = Watch(site, preview)
    results = {}
    try:
        # The article may be in the default language or under /ru/.
        candidates = [os.path.join(preview, *pre, "news", article[:-3], "index.html") for pre in ((), ("ru",))]
        out = next(p for p in candidates if os.path.exists(p))

        def write(text):
            with open(src, "w", encoding="utf-8") as f:
                f.write(text)

        for i in range(args.edits):
            marker = f"Latency probe {i} {time.time_ns()}"
            results.setdefault("body append", []).append(
                timed(watch, lambda: write(original + f"\n{marker}\n"), lambda: contains(out, marker)))
            title = f"Retitled {i} {time.time_ns()}"
            retitled = re.sub(r'^title: ".*"$', f'title: "{title}"', original, count=1, flags=re.M)
            results.setdefault("new title", []).append(
                timed(watch, lambda: write(retitled), lambda: contains(out, title)))
            tag = f"probe-tag-{i}"
            retagged = re.sub(r"^tags: \[", f'tags: ["{tag}", ', original, count=1, flags=re.M)
            results.setdefault("changed tags", []).append(
                timed(watch, lambda: write(retagged), lambda: contains(out, tag)))
            write(original)
            time.sleep(0.5)
            new = os.path.join(news, f"zz-latency-probe-{i}.md")
            new_out = os.path.join(os.path.dirname(os.path.dirname(out)), f"zz-latency-probe-{i}", "index.html")
            text = re.sub(r'^title: ".*"$', f'title: "New probe {i}"', original, count=1, flags=re.M)
            # A copy of the article: not another edition of it, not at its address.
            text = re.sub(r"^(translation_key|aliases|slug):.*\n", "", text, flags=re.M)
            results.setdefault("new article", []).append(
                timed(watch, lambda: open(new, "w", encoding="utf-8").write(text), lambda: os.path.exists(new_out)))
            results.setdefault("deleted article", []).append(
                timed(watch, lambda: os.remove(new), lambda: not os.path.exists(new_out)))
    finally:
        write(original)
        watch.stop()

    def ms(xs):
        return f"median {statistics.median(xs) * 1000:.0f} ms (min {min(xs) * 1000:.0f}, max {max(xs) * 1000:.0f})"

    print(f"# sitegen watch, {args.n:,} articles, {args.edits} edits of each kind")
    for kind, pairs in results.items():
        disk, received = [p[0] for p in pairs], [p[1] for p in pairs]
        print(f"- {kind}: edit -> on disk {ms(disk)}; edit -> reload received {ms(received)}")


if __name__ == "__main__":
    main()

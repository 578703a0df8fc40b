#!/usr/bin/env python3
"""Edit-to-preview latency of `sitegen watch` on a generated corpus.

Starts `sitegen watch` on the sitegen flavour of ../shared/bench/gen_corpus.py
(on a tmpfs), listens to its Server-Sent Events, then edits one article
--edits times and measures, for each edit, the time until the article's new
text is in the output file (edit -> on disk) and until the reload event
arrives (edit -> reload sent). Prints median, min and max.

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
    exe = os.path.join(REPO, "target", "release", "sitegen")
    proc = subprocess.Popen([exe, "watch", "--root", site, "--port", "0", "--output", preview],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = None
        for line in proc.stdout:
            m = re.search(r"http://([\d.]+):(\d+)/", line)
            if m:
                url = (m.group(1), int(m.group(2)))
                break
        threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
        reloads = []
        sock = socket.create_connection(url)
        sock.sendall(b"GET /__sitegen/events HTTP/1.1\r\nHost: x\r\n\r\n")

        def listen():
            buf = b""
            while True:
                data = sock.recv(4096)
                if not data:
                    return
                buf += data
                while b"event: reload" in buf:
                    reloads.append(time.perf_counter())
                    buf = buf.split(b"event: reload", 1)[1]

        threading.Thread(target=listen, daemon=True).start()
        time.sleep(1)
        article = sorted(os.listdir(os.path.join(site, "content", "news")))[0]
        src = os.path.join(site, "content", "news", article)
        original = open(src, encoding="utf-8").read()
        # The article may be in the default language or under /ru/.
        candidates = [os.path.join(preview, *pre, "news", article[:-3], "index.html") for pre in ((), ("ru",))]
        out = next(p for p in candidates if os.path.exists(p))
        disk, sent = [], []
        for i in range(args.edits):
            marker = f"Latency probe {i} {time.time_ns()}"
            before = len(reloads)
            start = time.perf_counter()
            with open(src, "w", encoding="utf-8") as f:
                f.write(original + f"\n{marker}\n")
            seen = None
            while time.perf_counter() - start < 60:
                try:
                    if seen is None and marker in open(out, encoding="utf-8").read():
                        seen = time.perf_counter()
                except FileNotFoundError:
                    pass
                if seen is not None and len(reloads) > before:
                    break
                time.sleep(0.002)
            if seen is None:
                sys.exit(f"edit {i} did not reach {out} within 60 s")
            disk.append(seen - start)
            sent.append(reloads[before] - start)
            time.sleep(0.5)
        open(src, "w", encoding="utf-8").write(original)
    finally:
        proc.terminate()
        proc.wait()
    ms = lambda xs: f"median {statistics.median(xs) * 1000:.0f} ms (min {min(xs) * 1000:.0f}, max {max(xs) * 1000:.0f})"
    print(f"# sitegen watch, {args.n:,} articles, {args.edits} edits of one article")
    print(f"- edit -> on disk: {ms(disk)}")
    print(f"- edit -> reload event sent: {ms(sent)}")


if __name__ == "__main__":
    main()

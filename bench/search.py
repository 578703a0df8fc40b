#!/usr/bin/env python3
"""Search: what sitegen's index costs a build and a reader, beside Pagefind.

For each corpus size (../shared/bench/gen_corpus.py, on a tmpfs): clean
builds of sitegen (with --timings) and, with --baseline, of a sitegen
without search, interleaved, medians; the index's size (total, parts, the
largest part); then, in headless Chromium over HTTP, typical two-word
queries (two words of a random story's title): the bytes each loads and the
time from the parts being loaded to the results shown (sitegenSearch.last),
and whether the same query works from file://. At sizes up to
--pagefind-at, Pagefind (npm) indexes the same built site: its time, its
size, the bytes a query and its first 20 results load over HTTP, and what
it does from file://.

    python3 bench/search.py --sizes 10000,100000 [--runs 3] [--baseline OTHER_SITEGEN]
                            [--pagefind-at 10000] [--queries 10] [--dir /dev/shm/sitegen-bench]

Needs: a release build, Chromium with Python's playwright (as the tests),
node and npm (Pagefind is installed under target/bench-tools).
"""
import argparse
import functools
import http.server
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from compare import gen  # noqa: E402

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHROMIUM = os.environ.get("SITEGEN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def build(binary, root, out):
    """A clean build: (wall s, peak RSS MiB, {stage: ms})."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "build", "--root", root, "--output", out, "--timings"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    text = proc.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{binary} failed:\n{text[-2000:]}")
    stages = {m.group(2): float(m.group(1)) for m in re.finditer(r"^\s*([\d.]+) ms\s+(.+?)\s*$", text, re.M)}
    return wall, usage.ru_maxrss / 1024, stages


def index_stats(out):
    parts, total, largest, script = 0, 0, ("", 0), 0
    for lang in ("", "ru/"):
        d = os.path.join(out, lang, "search", "parts")
        for f in os.listdir(d):
            size = os.path.getsize(os.path.join(d, f))
            parts += 1
            total += size
            if size > largest[1]:
                largest = (lang + "search/parts/" + f, size)
    for f in os.listdir(out):
        if f.startswith("search.") and f.endswith(".js"):
            script = os.path.getsize(os.path.join(out, f))
    return {"parts": parts, "bytes": total, "largest": largest, "script": script}


def queries(corpus, n):
    """Two words of each of n random titles: the kind of query a reader types."""
    rng = random.Random(1)
    files = []
    for dirpath, _, names in os.walk(os.path.join(corpus, "content")):
        files.extend(os.path.join(dirpath, f) for f in names if f.endswith(".md") and not f.startswith("_"))
    files.sort()
    out = []
    for path in rng.sample(files, min(len(files), n * 4)):
        text = open(path, encoding="utf-8").read()
        m = re.search(r'^title:\s*"?(.+?)"?\s*$', text, re.M)
        lang = "ru" if re.search(r"^lang:\s*ru", text, re.M) or path.endswith(".ru.md") else "en"
        words = [w for w in re.findall(r"\w+", m.group(1) if m else "") if len(w) >= 5]
        if len(words) >= 2:
            out.append((lang, " ".join(rng.sample(words, 2))))
        if len(out) == n:
            break
    return out


class Server:
    """The built site over HTTP on localhost, as a mirror serves it."""

    def __init__(self, root):
        handler = functools.partial(Quiet, directory=root)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self):
        self.httpd.shutdown()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def recorder(sizes):
    """Records each successful response's body size by URL (a response that
    arrives as its page closes is not counted)."""
    def record(r):
        try:
            if r.ok:
                sizes[r.url] = len(r.body())
        except Exception:  # noqa: BLE001 - the page went away first
            pass
    return record


def sitegen_queries(base, file_base, qs):
    from playwright.sync_api import sync_playwright
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for lang, q in qs:
            home = "" if lang == "en" else "ru/"
            page = browser.new_page()
            sizes = {}
            page.on("response", recorder(sizes))
            page.goto(f"{base}{home}search/index.html?q={q}", wait_until="load")
            page.wait_for_function("window.sitegenSearch && window.sitegenSearch.last", timeout=60000)
            results = page.evaluate("window.sitegenSearch.last.results")
            terms = sum(s for u, s in sizes.items() if "/parts/k-" in u or u.endswith("/meta.js"))
            docs = sum(s for u, s in sizes.items() if "/parts/d-" in u)
            script = sum(s for u, s in sizes.items() if re.search(r"/search\.[0-9a-f]+\.js$", u))
            times = []
            for _ in range(3):
                page.evaluate("window.sitegenSearch.last = null; document.getElementById('search-form').requestSubmit()")
                page.wait_for_function("window.sitegenSearch.last", timeout=60000)
                times.append(page.evaluate("window.sitegenSearch.last.ms"))
            page.close()
            disk = browser.new_page()
            disk.goto(f"{file_base}{home}search/index.html?q={q}", wait_until="load")
            disk.wait_for_function("window.sitegenSearch && window.sitegenSearch.last", timeout=60000)
            works = disk.evaluate("window.sitegenSearch.last.results") == results
            disk.close()
            rows.append({"q": q, "lang": lang, "results": results, "terms": terms, "docs": docs, "script": script,
                         "ms": statistics.median(times), "file": works})
        browser.close()
    return rows


PAGEFIND_PAGE = """<!doctype html><meta charset="utf-8"><title>pagefind bench</title>
<script type="module">
try {
  const pf = await import("./pagefind/pagefind.js");
  await pf.init();
  window.run = async (q) => {
    const t0 = performance.now();
    const r = await pf.search(q);
    await Promise.all(r.results.slice(0, 20).map((x) => x.data()));
    return { n: r.results.length, ms: performance.now() - t0 };
  };
  window.ready = "yes";
} catch (e) { window.ready = "error: " + e; }
</script>
"""


def pagefind(out, qs, base, file_base):
    tools = os.path.join(REPO, "target", "bench-tools")
    bin_js = os.path.join(tools, "node_modules", "pagefind", "lib", "runner", "bin.cjs")
    if not os.path.isfile(bin_js):
        os.makedirs(tools, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", tools, "--no-audit", "--no-fund", "pagefind"], check=True,
                       stdout=subprocess.DEVNULL)
    shutil.rmtree(os.path.join(out, "pagefind"), ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(["node", bin_js, "--site", out], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    size, files = 0, 0
    for dirpath, _, names in os.walk(os.path.join(out, "pagefind")):
        for f in names:
            size += os.path.getsize(os.path.join(dirpath, f))
            files += 1
    with open(os.path.join(out, "pagefind-bench.html"), "w") as f:
        f.write(PAGEFIND_PAGE)
    from playwright.sync_api import sync_playwright
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for _, q in qs:
            page = browser.new_page()
            sizes = {}
            page.on("response", recorder(sizes))
            page.goto(base + "pagefind-bench.html", wait_until="load")
            page.wait_for_function("window.ready", timeout=60000)
            before = sum(sizes.values())
            r = page.evaluate("q => window.run(q)", q)
            rows.append({"q": q, "results": r["n"], "bytes": sum(sizes.values()), "query_bytes": sum(sizes.values()) - before,
                         "ms": r["ms"]})
            page.close()
        disk = browser.new_page()
        errors = []
        disk.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        disk.on("pageerror", lambda e: errors.append(str(e)))
        disk.goto(file_base + "pagefind-bench.html", wait_until="load")
        try:
            disk.wait_for_function("window.ready", timeout=10000)
            ready = disk.evaluate("window.ready")
            if ready == "yes":
                try:
                    r = disk.evaluate("q => window.run(q)", qs[0][1])
                    ready = f"searched: {r['n']} results"
                except Exception as e:  # noqa: BLE001 - what the browser said is the finding
                    ready = f"search failed: {str(e).splitlines()[0]}"
        except Exception:  # noqa: BLE001
            ready = "never ready"
        disk.close()
        browser.close()
    os.remove(os.path.join(out, "pagefind-bench.html"))
    return {"wall": wall, "bytes": size, "files": files, "rows": rows, "file": ready, "errors": errors[:3]}


def kb(n):
    return f"{n / 1024:,.1f} KB"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default="/dev/shm/sitegen-bench")
    ap.add_argument("--baseline", help="a sitegen binary without search, timed beside this one")
    ap.add_argument("--pagefind-at", type=int, default=10000, help="run Pagefind at sizes up to this")
    ap.add_argument("--queries", type=int, default=10)
    args = ap.parse_args()
    sitegen = os.path.join(REPO, "target", "release", "sitegen")
    if not os.path.isfile(sitegen):
        sys.exit("build sitegen first: cargo build --release")
    print(f"# search, {os.cpu_count()} cores, tmpfs {args.dir}, medians of {args.runs}\n")
    for n in (int(s) for s in args.sizes.split(",")):
        base = os.path.join(args.dir, str(n))
        corpus = os.path.join(base, "sitegen")
        gen("sitegen", n, corpus)
        out = os.path.join(base, "search-out")
        mine, theirs = [], []
        for _ in range(args.runs):
            mine.append(build(sitegen, corpus, out))
            if args.baseline:
                theirs.append(build(args.baseline, corpus, out + "-base"))
        shutil.rmtree(out + "-base", ignore_errors=True)
        med = lambda rs, i: statistics.median(r[i] for r in rs)
        stage = lambda rs, s: statistics.median(r[2].get(s, 0) for r in rs) / 1000
        wall, index_s, md = med(mine, 0), stage(mine, "search index"), stage(mine, "markdown")
        print(f"## {n:,} articles\n")
        print(f"- sitegen clean build: {wall:.2f} s, peak {med(mine, 1):.0f} MiB; markdown stage {md:.2f} s, "
              f"search index stage {index_s:.2f} s ({index_s / wall:.1%} of the build)")
        if theirs:
            bw = med(theirs, 0)
            print(f"- without search (baseline): {bw:.2f} s, peak {med(theirs, 1):.0f} MiB; markdown stage "
                  f"{stage(theirs, 'markdown'):.2f} s. Search costs {wall - bw:+.2f} s ({(wall - bw) / wall:.1%} of the "
                  f"build), {med(mine, 1) - med(theirs, 1):+.0f} MiB")
        st = index_stats(out)
        print(f"- index: {st['parts']:,} parts, {kb(st['bytes'])} in all (both languages), largest "
              f"{st['largest'][0]} {kb(st['largest'][1])}; script {kb(st['script'])}")
        qs = queries(corpus, args.queries)
        server = Server(out)
        rows = sitegen_queries(server.base, f"file://{out}/", qs)
        print("\n| query | results | term parts | result parts | after load | file:// |")
        print("| --- | --- | --- | --- | --- | --- |")
        for r in rows:
            print(f"| {r['lang']}: {r['q']} | {r['results']} | {kb(r['terms'])} | {kb(r['docs'])} | {r['ms']:.1f} ms | "
                  f"{'same results' if r['file'] else 'DIFFERS'} |")
        per = [r["terms"] + r["docs"] for r in rows]
        print(f"\n- a query loads (median) {kb(statistics.median(per))} of index, max {kb(max(per))}, plus the "
              f"script once ({kb(st['script'])}); results shown in a median of "
              f"{statistics.median(r['ms'] for r in rows):.1f} ms after the parts loaded, max "
              f"{max(r['ms'] for r in rows):.1f} ms")
        if n <= args.pagefind_at:
            pf = pagefind(out, qs, server.base, f"file://{out}/")
            print(f"- Pagefind on the same built site: indexed in {pf['wall']:.1f} s, {pf['files']:,} files, "
                  f"{kb(pf['bytes'])}")
            pfb = [r["bytes"] for r in pf["rows"]]
            print(f"- Pagefind per query (its loader, WebAssembly, index chunks, 20 results' fragments): median "
                  f"{kb(statistics.median(pfb))}, max {kb(max(pfb))}; query time median "
                  f"{statistics.median(r['ms'] for r in pf['rows']):.1f} ms; results "
                  f"{[r['results'] for r in pf['rows']]} against sitegen's {[r['results'] for r in rows]}")
            print(f"- Pagefind from file://: {pf['file']}; {pf['errors']}")
            shutil.rmtree(os.path.join(out, "pagefind"), ignore_errors=True)
        server.close()
        print()


if __name__ == "__main__":
    main()

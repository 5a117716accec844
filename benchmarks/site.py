"""How fast each page of the built site opens: time to loaded and typeset, and bytes transferred, uncached.

    .venv/bin/python benchmarks/site.py                 # the student site, _build/html (make book first)
    .venv/bin/python benchmarks/site.py --site answer-key --runs 5

Every page of the book is opened in headless Chromium (Debian's, driven by
Playwright as the browser suite does) from a local HTTP server, each time in a
fresh browser context with the cache disabled, three times (the median is
printed). "Ready" is the moment the page has fired its load event, its math is
typeset (MathJax's startup promise, where the page loads MathJax) and its web
fonts are loaded, read from the page's own clock (performance.now(), whose zero
is the start of navigation). "Transferred" is the sum of Chromium's
encodedDataLength over every response (headers included), counted once the
network has been idle for 0.5 s, so lazily loaded fonts count too.

Targets (the course's issue on page speed): ready in <= 1.0 s and <= 2.5 MB
transferred on localhost. A script, not a timed test: the browser suite
(tests/test_browser.py) asserts the same measurements with a margin.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from local_browser import chromium, serve  # noqa: E402  (the project's one Chromium and local server)

BUILD = ROOT / "_build"
SITES = {"student": BUILD / "html", "answer-key": BUILD / "answer-key" / "html"}
TARGET_SECONDS = 1.0
TARGET_BYTES = 2_500_000
RUNS = 3

#: Resolves with the page's clock once the load event has fired, MathJax (if loaded) has typeset and fonts are in.
_READY = """async () => {
  if (document.readyState !== 'complete') await new Promise(r => addEventListener('load', r, {once: true}));
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  await document.fonts.ready;
  return performance.now();
}"""


def _kind(url: str, mime: str) -> str:
    path = url.split("?")[0].split("#")[0]
    if "font" in mime or path.endswith((".woff", ".woff2", ".ttf", ".otf", ".eot")):
        return "font"
    if "javascript" in mime or path.endswith(".js"):
        return "js"
    if "css" in mime or path.endswith(".css"):
        return "css"
    if mime.startswith("image/"):
        return "image"
    if "html" in mime:
        return "html"
    return "other"


def measure(browser, url: str, viewport: dict | None = None) -> dict:
    """One uncached load of ``url``: seconds to ready, bytes transferred, requests, bytes by kind."""
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        kinds, sizes = {}, Counter()

        def on_response(event):
            kinds[event["requestId"]] = _kind(event["response"]["url"], event["response"].get("mimeType", ""))

        def on_finished(event):
            sizes[event["requestId"]] += event["encodedDataLength"]

        cdp.on("Network.responseReceived", on_response)
        cdp.on("Network.loadingFinished", on_finished)
        page.goto(url, wait_until="load")
        ready_ms = page.evaluate(_READY)
        page.wait_for_load_state("networkidle")
        by_kind = Counter()
        for request, size in sizes.items():
            by_kind[kinds.get(request, "other")] += size
        return {"seconds": ready_ms / 1000, "bytes": sum(sizes.values()), "requests": len(sizes),
                "by_kind": dict(by_kind)}
    finally:
        context.close()


def median_of(browser, url: str, runs: int = RUNS, viewport: dict | None = None) -> dict:
    """``runs`` uncached loads of ``url``; the median time and transfer, and the breakdown of the median load."""
    loads = [measure(browser, url, viewport) for _ in range(runs)]
    seconds = statistics.median(load["seconds"] for load in loads)
    transferred = statistics.median(load["bytes"] for load in loads)
    middle = sorted(loads, key=lambda load: load["bytes"])[len(loads) // 2]
    return {"seconds": seconds, "bytes": transferred, "requests": middle["requests"], "by_kind": middle["by_kind"],
            "all_seconds": [load["seconds"] for load in loads]}


def book_pages(site: Path) -> list[str]:
    """The pages of the book (the chapters, their exercises, the intro and the back matter), in file order."""
    return sorted(str(p.relative_to(site)) for p in (site / "book").glob("*.html"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", choices=sorted(SITES), default="student")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--width", type=int, default=1280, help="viewport width in px (390 for a phone)")
    args = parser.parse_args()
    site = SITES[args.site]
    if not (site / "index.html").exists():
        raise SystemExit(f"{site.relative_to(ROOT)} is missing: run 'make book' (or 'make answer-key')")
    viewport = {"width": args.width, "height": 900 if args.width > 600 else 844}
    rows, missed = [], []
    with serve(site) as server, chromium() as browser:
        for page in book_pages(site):
            rows.append((page, median_of(browser, f"{server}/{page}", args.runs, viewport)))
    print(f"Pages of {site.relative_to(ROOT)}: uncached, localhost, {args.width} px wide, median of {args.runs} loads")
    print(f"  {'page':<44} {'ready':>7} {'transferred':>12} {'requests':>9}   "
          f"{'html':>6} {'js':>6} {'css':>6} {'font':>6} {'image':>6}  (MB)")
    for page, m in rows:
        ok = m["seconds"] <= TARGET_SECONDS and m["bytes"] <= TARGET_BYTES
        missed += [] if ok else [page]
        parts = " ".join(f"{m['by_kind'].get(k, 0) / 1e6:6.2f}" for k in ("html", "js", "css", "font", "image"))
        print(f"  {page:<44} {m['seconds']:6.2f}s {m['bytes'] / 1e6:9.2f} MB {m['requests']:9d}   {parts}"
              f"  {'ok' if ok else 'MISSED'}")
    seconds = [m["seconds"] for _, m in rows]
    weights = [m["bytes"] for _, m in rows]
    print(f"  slowest {max(seconds):.2f} s, median {statistics.median(seconds):.2f} s; heaviest "
          f"{max(weights) / 1e6:.2f} MB, median {statistics.median(weights) / 1e6:.2f} MB")
    print(f"Targets: ready <= {TARGET_SECONDS:.1f} s and <= {TARGET_BYTES / 1e6:.1f} MB transferred per page.")
    print("All targets met." if not missed else f"Targets missed on {len(missed)} of {len(rows)} pages.")


if __name__ == "__main__":
    main()

"""Headless Chromium and a local web server, as every browser-driven part of the project uses them.

tools/pdf.py (printing the PDFs), tools/binder_run.py (JupyterLab as Binder serves it), benchmarks/site.py (page
speed) and tests/test_browser.py all open pages in Debian's Chromium, driven by Playwright, from a server on
localhost: one set of flags and one server, here.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: Root needs --no-sandbox; the network flags stop Chromium's own background traffic (there is no network here).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic"]


@contextmanager
def serve(folder: Path):
    """Serve ``folder`` on a free localhost port, quietly, for the duration of the block; yields the base URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@contextmanager
def chromium():
    """Debian's headless Chromium under Playwright, closed at the end of the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()

"""The course's website as a learner meets it: the offline preview (`make docs`, tools/build_docs.py) served on
127.0.0.1 and driven by headless Chromium through the index and every chapter.

Each page: a title; every sidebar link and every link within the site answers 200; every plot stored in the notebook is an image that decoded
(naturalWidth > 0); code is highlighted; no error output, traceback or raw directive (`#| ...`, `:::`); no request
leaves 127.0.0.1; no script error. The sidebar lists every `nbs/NN_*.ipynb`, in chapter order.

Uses `_site/` when it exists (CI runs `make docs` first), else builds it. Needs Chromium (Debian's `chromium`, or
`CHROMIUM=/path/to/chrome`) and the `playwright` package; skipped, with the reason, where either is missing.
Screenshots of the index and one chapter go to `_site/screenshots/`; `FTCOURSE_SCREENSHOTS=docs/screenshots`
writes them there instead (the ones kept in the repository).
"""
import functools, http.server, json, os, re, shutil, socketserver, subprocess, sys, threading, urllib.request
from pathlib import Path
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import build_docs  # noqa: E402

DOCS_ROOT = Path(os.environ.get("FTCOURSE_DOCS_ROOT", ROOT))   # where nbs/, _proc/ and _site/ are (another checkout, for trying changes)
SITE = DOCS_ROOT / "_site"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT_PAGES = ("index.html", "quant.html")   # the home page, and a chapter at its first plot

def chromium() -> str | None:
    if os.environ.get("CHROMIUM"): return os.environ["CHROMIUM"]
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) if p), None)

def test_sidebar_lists_every_chapter_in_order():
    "nbs/_quarto.yml's sidebar has the index first, then every NN_*.ipynb once, in number order (the published site's and the preview's)."
    listed = [f for _, f in build_docs.sidebar_entries(build_docs.site_config(DOCS_ROOT / "nbs"))]
    chapters = sorted(p.name for p in (DOCS_ROOT / "nbs").glob("[0-9][0-9]_*.ipynb"))
    assert listed == ["index.ipynb"] + chapters, f"sidebar: {listed}\nnotebooks: {chapters}"

@pytest.fixture(scope="module")
def site():
    if not (SITE / "index.html").exists():
        try: import nbconvert  # noqa: F401
        except ImportError: pytest.skip("no _site/ and no nbconvert to build it: run `make docs`")
        p = subprocess.run([sys.executable, str(ROOT / "tools" / "build_docs.py"), "--root", str(DOCS_ROOT)], cwd=DOCS_ROOT, capture_output=True, text=True,
                           env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=1200)
        assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    return SITE

@pytest.fixture(scope="module")
def server(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    handler = functools.partial(Quiet, directory=str(site))
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown(); httpd.server_close()

@pytest.fixture(scope="module")
def browser():
    exe = chromium()
    if not exe: pytest.skip("no Chromium here (install Debian's `chromium`, or set CHROMIUM=/path/to/chrome); .ci/run installs it")
    try: from playwright.sync_api import sync_playwright
    except ImportError: pytest.skip("the `playwright` package is not installed (it is in the test extra)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()

def expected_pages(site) -> list[tuple[str, int]]:
    "(page, number of PNG plots it must show; -1: unknown) for the index and every chapter, from nbdev's processed notebooks."
    quarto = build_docs.quarto_config(DOCS_ROOT / "nbs")
    warnings = (quarto.get("execute") or {}).get("warning", True)
    out = []
    for _, nb_file in build_docs.sidebar_entries(quarto["website"]):
        proc = DOCS_ROOT / "_proc" / nb_file
        nb = json.loads(proc.read_text(encoding="utf-8")) if proc.exists() else None
        page = "index.html" if nb_file == "index.ipynb" else build_docs.output_name(nb_file, build_docs.front_matter(nb) if nb else {})
        cells = build_docs.prepare(nb, "", {}, warnings)["cells"] if nb else None
        pngs = -1 if cells is None else sum("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))
        out.append((page, pngs))
    return out

PAGE_CHECK = r"""() => {
  const main = document.querySelector('main');
  const imgs = [...main.querySelectorAll('img')].map(i => ({src: i.src.slice(0, 60), ok: i.complete && i.naturalWidth > 0, plot: !!i.closest('.output_png')}));
  const pres = [...main.querySelectorAll('.input_area pre, .output_area pre')].map(p => p.innerText);
  const clone = main.cloneNode(true);
  clone.querySelectorAll('code, pre').forEach(e => e.remove());
  const kw = main.querySelector('.highlight .k, .highlight .kn, .highlight .nb, .highlight .s1, .highlight .s2, .highlight .c1');
  const fg = kw ? getComputedStyle(kw).color : null, body = getComputedStyle(main).color;
  return {title: (document.querySelector('h1.title') || {}).innerText || '', docTitle: document.title,
          sidebar: [...document.querySelectorAll('nav.sidebar a')].map(a => a.getAttribute('href')),
          links: [...main.querySelectorAll('a[href]')].map(a => a.getAttribute('href')).filter(h => !/^([a-z][\w+.-]*:|#)/.test(h)),
          active: (document.querySelector('nav.sidebar a.active') || {}).innerText || '',
          imgs, pres, prose: clone.innerText, highlighted: !!kw && fg !== body,
          codeCells: main.querySelectorAll('.highlight').length,
          errors: main.querySelectorAll('.output_error, .output_stderr').length,
          badge: (document.querySelector('main a[href*="colab.research.google.com"]') || {}).href || ''};
}"""

def test_every_page_in_chromium(site, server, browser):
    pages = expected_pages(site)
    shots = Path(os.environ.get("FTCOURSE_SCREENSHOTS") or site / "screenshots")
    if not shots.is_absolute(): shots = ROOT / shots
    shots.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1280, "height": 860})
    outside, script_errors, failures, link_status = [], [], [], {}
    ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server) else (outside.append(route.request.url), route.abort()))
    page = ctx.new_page()
    page.on("pageerror", lambda e: script_errors.append(str(e)))
    for name, n_png in pages:
        resp = page.goto(f"{server}/{name}", wait_until="load")
        bad = lambda msg: failures.append(f"{name}: {msg}")
        if resp is None or resp.status != 200: bad(f"HTTP {resp and resp.status}"); continue
        r = page.evaluate(PAGE_CHECK)
        if not r["title"].strip() or r["title"].strip() not in r["docTitle"]: bad(f"no title (h1 {r['title']!r}, <title> {r['docTitle']!r})")
        if len(r["sidebar"]) != len(pages): bad(f"sidebar has {len(r['sidebar'])} links, the site {len(pages)} pages")
        if not r["active"]: bad("the sidebar does not mark the current page")
        for href in r["sidebar"] + [h.split("#")[0] for h in r["links"]]:
            if href not in link_status:
                try: link_status[href] = urllib.request.urlopen(f"{server}/{href}", timeout=10).status
                except Exception as e: link_status[href] = repr(e)
            if link_status[href] != 200: bad(f"link {href} answers {link_status[href]}")
        broken = [i["src"] for i in r["imgs"] if not i["ok"]]
        if broken: bad(f"images that did not load: {broken}")
        plots = sum(i["plot"] and i["ok"] for i in r["imgs"])
        if n_png >= 0 and plots != n_png: bad(f"{plots} plots rendered, the notebook stores {n_png}")
        if r["codeCells"] and not r["highlighted"]: bad("code is not highlighted")
        if r["errors"]: bad(f"{r['errors']} error/stderr outputs shown")
        if "Traceback (most recent call last)" in r["prose"] + "\n".join(r["pres"]): bad("a traceback is shown")
        raw = [l.strip() for p in r["pres"] for l in p.splitlines() if re.match(r"^\s*#\|\s*[\w-]+", l)]
        raw += [l.strip() for l in r["prose"].splitlines() if re.match(r"^\s*(:::|#\|)", l)]
        if raw: bad(f"raw directives shown: {raw[:3]}")
        if name != "index.html" and "/blob/main/nbs/" not in r["badge"]: bad(f"no Open in Colab badge (found {r['badge']!r})")
        if name in SCREENSHOT_PAGES:
            if page.locator(".output_png img").count(): page.locator(".output_png img").first.evaluate("e => e.scrollIntoView({block: 'center'})")
            shot = shots / name.replace(".html", ".png")
            page.screenshot(path=str(shot))
            try:   # a palette PNG: a third of the size, the same to the eye
                from PIL import Image
                Image.open(shot).convert("RGB").quantize(colors=256).save(shot, optimize=True)
            except ImportError: pass
    ctx.close()
    assert not outside, f"pages requested addresses outside 127.0.0.1: {sorted(set(outside))[:5]}"
    assert not script_errors, f"script errors: {script_errors[:3]}"
    assert not failures, "\n".join(failures)

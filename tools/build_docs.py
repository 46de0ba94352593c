"""The offline preview of the course's website: nbdev's processed notebooks rendered to static HTML.

The published site is built the nbdev way, by Quarto (`nbdev-docs`, in GitHub Actions). Quarto cannot be
installed offline, so this script builds a preview from the same input:

1. `nbdev.serve.proc_nbs` processes `nbs/*.ipynb` into `_proc/` exactly as `nbdev-docs` does before it
   calls Quarto: `#| hide` cells and exported source dropped, `show_doc` cells added and executed, names
   linked to their API entries, the title cell turned into front matter. (The `nbdev-proc-nbs` command
   does the same but first insists on installing Quarto.)
2. The few Quarto features those notebooks use are applied here: the front matter (title, description,
   `output-file`, so pages keep the published names such as `env.html`), the cell options `echo`,
   `output` and `include`, `::: {.class}` blocks, `{...}` link attributes, and links to the published
   site made relative.
3. nbconvert renders each notebook (code highlighted by Pygments, plots as PNG, tables), and a page
   template adds the sidebar of `nbs/_quarto.yml`, in its order.

Usage: `python tools/build_docs.py [--out _site] [--no-proc] [--workers N]`; then open `_site/index.html`
or serve it: `python -m http.server -d _site`.
"""
import argparse, base64, html, json, re, shutil, sys, time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
NBS, PROC = ROOT / "nbs", ROOT / "_proc"

# --- site structure -------------------------------------------------------------------------------
def quarto_config(nbs: Path = NBS) -> dict:
    "nbs/_quarto.yml merged with its metadata-files (nbs/nbdev.yml), as Quarto merges them."
    q = yaml.safe_load((nbs / "_quarto.yml").read_text())
    for f in q.get("metadata-files", []):
        if (nbs / f).exists():
            extra = yaml.safe_load((nbs / f).read_text()) or {}
            for sec, vals in extra.items():
                if isinstance(vals, dict):
                    for k, v in vals.items(): q.setdefault(sec, {}).setdefault(k, v)
    return q

def site_config(nbs: Path = NBS) -> dict: return quarto_config(nbs)["website"]

def sidebar_entries(website: dict) -> list:
    "[(section or None, notebook file name)] in sidebar order."
    out = []
    def walk(items, section):
        for it in items:
            if isinstance(it, str): out.append((section, it))
            elif isinstance(it, dict) and "contents" in it: walk(it["contents"], it.get("section", section))
            elif isinstance(it, dict) and "href" in it: out.append((section, it["href"]))
    walk(website["sidebar"]["contents"], None)
    return out

# --- Quarto features, applied ---------------------------------------------------------------------
def front_matter(nb) -> dict:
    c = nb["cells"][0] if nb["cells"] else None
    if c and c["cell_type"] == "raw":
        text = "".join(c["source"]).strip()
        if text.startswith("---"):
            return yaml.safe_load(text.strip("-\n")) or {}
    return {}

def output_name(nb_name: str, fm: dict) -> str:
    return fm.get("output-file") or Path(nb_name).with_suffix(".html").name

DIRECTIVE = re.compile(r"^\s*#\|\s*([\w-]+)\s*:?\s*(.*)$")
def split_directives(source: str) -> tuple[dict, str]:
    lines, d = source.splitlines(), {}
    while lines and (m := DIRECTIVE.match(lines[0])):
        d[m.group(1)] = m.group(2).strip().strip('"'); lines.pop(0)
    return d, "\n".join(lines)

FENCE = re.compile(r"^\s*:{3,}\s*(?:\{([^}]*)\}|([\w-]+))?\s*$")
def fenced_divs(md: str) -> str:
    "Pandoc's `::: {.a .b}` ... `:::` blocks as HTML divs."
    out, depth = [], 0
    for line in md.split("\n"):
        m = FENCE.match(line)
        if not m: out.append(line); continue
        attrs = m.group(1) or (("." + m.group(2)) if m.group(2) else None)
        if attrs is None and depth:
            out += ["", "</div>", ""]; depth -= 1
        else:
            classes = " ".join(a[1:] for a in (attrs or "").split() if a.startswith("."))
            out += ["", f'<div class="{html.escape(classes)}">', ""]; depth += 1
    out += ["</div>"] * depth
    return "\n".join(out)

LINK_ATTRS = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]*)\)\{([^}]*)\}")

def _link_with_attrs(m) -> str:
    "`[text](url){.cls #id key=\"v\"}` (Pandoc) as an HTML link with those attributes."
    text, url, attrs = m.groups()
    classes = [a[1:] for a in attrs.split() if a.startswith(".")]
    ids = [a[1:] for a in attrs.split() if a.startswith("#")]
    kv = " ".join(re.findall(r'[\w-]+="[^"]*"', attrs))
    extra = (f' class="{" ".join(classes)}"' if classes else "") + (f' id="{ids[0]}"' if ids else "") + (f" {kv}" if kv else "")
    return f'<a href="{html.escape(url)}"{extra}>{text}</a>'

MD_LINK = re.compile(r"(\]\()([^)\s]+)(\))")

def fix_links(text: str, site_url: str, pages: dict) -> str:
    "Pandoc link attributes made HTML; links to the published site and to notebooks made relative to the preview."
    text = LINK_ATTRS.sub(_link_with_attrs, text)
    def local(url: str) -> str:
        if site_url and url.startswith(site_url): url = url[len(site_url):].lstrip("/") or "index.html"
        elif re.match(r"^[a-z][\w+.-]*:", url): return url            # another site (Colab, GitHub), mailto:...
        path, _, frag = url.partition("#")
        if path in pages: url = pages[path] + (f"#{frag}" if frag else "")   # a notebook beside this one, as Quarto links it
        return url
    text = MD_LINK.sub(lambda m: m.group(1) + local(m.group(2)) + m.group(3), text)
    return re.sub(r'href="([^"]+)"', lambda m: f'href="{local(m.group(1))}"', text)

CELL_KEYS = {"markdown": {"cell_type", "id", "metadata", "source", "attachments"},
             "code": {"cell_type", "id", "metadata", "source", "outputs", "execution_count"}, "raw": set()}

def prepare(nb: dict, site_url: str, pages: dict, warnings: bool = True) -> dict:
    """The processed notebook with Quarto's front matter, cell options and markdown extensions applied.
    `warnings=False` (Quarto's `execute: warning: false`) drops stderr streams, as Quarto does."""
    cells = []
    for c in nb["cells"][1:] if front_matter(nb) else nb["cells"]:
        if c["cell_type"] == "raw": continue
        src = "".join(c["source"])
        if c["cell_type"] == "markdown":
            if src.strip().startswith("<!-- WARNING"): continue
            c["source"] = fix_links(fenced_divs(src), site_url, pages)
            c["metadata"] = {}
        elif c["cell_type"] == "code":
            d, code = split_directives(src)
            if d.get("include") == "false": continue
            c["source"] = code
            tags = set(c.setdefault("metadata", {}).get("tags", []))
            if d.get("echo") == "false" or not code.strip(): tags.add("remove_input")
            if d.get("output") == "false": c["outputs"] = []
            if not str(d.get("warning", warnings)).lower() in ("true", "1"):
                c["outputs"] = [o for o in c.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
            if d.get("output") == "asis": tags.add("asis")
            c["metadata"] = {"tags": sorted(tags)}   # execution times and nbdev's marks are not nbformat's
            for o in c.get("outputs", []):
                data = o.get("data", {})
                if "text/markdown" in data:
                    md = data["text/markdown"]; md = "".join(md) if isinstance(md, list) else md
                    data["text/markdown"] = fix_links(fenced_divs(md), site_url, pages)
            if not c["outputs"] and "remove_input" in tags: continue
        cells.append({k: v for k, v in c.items() if k in CELL_KEYS[c["cell_type"]]})   # nbdev's own marks (has_sd...) out
    nb["cells"] = cells
    return nb

# --- rendering ------------------------------------------------------------------------------------
def _slug(text: str) -> str:
    "Pandoc's automatic identifier, as Quarto makes it (so nbdev's `page.html#name` links land)."
    t = re.sub(r"<[^>]+>", "", html.unescape(text)).strip().lower()
    t = re.sub(r"[^\w\s.-]", "", t)
    return re.sub(r"\s+", "-", t)

def pandoc_ids(body: str) -> str:
    def fix(m):
        level, attrs, inner = m.group(1), m.group(2), m.group(3)
        ident = _slug(re.sub(r'<a class="anchor-link".*?</a>', "", inner))
        attrs = re.sub(r'\sid="[^"]*"', "", attrs)
        inner = re.sub(r'href="#[^"]*"', f'href="#{ident}"', inner)
        return f'<h{level} id="{ident}"{attrs}>{inner}</h{level}>'
    return re.sub(r"<h([1-6])([^>]*)>(.*?)</h\1>", fix, body, flags=re.S)

def exporter():
    from nbconvert import HTMLExporter
    from traitlets.config import Config
    cfg = Config()
    cfg.TagRemovePreprocessor.enabled = True
    cfg.TagRemovePreprocessor.remove_input_tags = {"remove_input"}
    cfg.HTMLExporter.exclude_input_prompt = True
    cfg.HTMLExporter.exclude_output_prompt = True
    cfg.HTMLExporter.anchor_link_text = "#"
    return HTMLExporter(config=cfg, template_name="basic")

COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BADGE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="117" height="20" role="img" aria-label="Open in Colab">'
             '<rect width="117" height="20" rx="3" fill="#555"/><rect x="20" width="97" height="20" rx="3" fill="#f9ab00"/>'
             '<circle cx="10" cy="10" r="5" fill="none" stroke="#f9ab00" stroke-width="2.5"/>'
             '<text x="68" y="14" font-family="Verdana,sans-serif" font-size="11" fill="#333" text-anchor="middle">Open in Colab</text></svg>')

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{page_title} – {site_title}</title>
<link rel="stylesheet" href="site.css"><link rel="stylesheet" href="styles.css">
</head><body>
<header class="navbar"><a class="brand" href="index.html">{site_title}</a><span class="preview">offline preview</span>
<a class="repo" href="{repo_url}">GitHub</a></header>
<div class="layout">
<nav class="sidebar" aria-label="chapters">{sidebar}</nav>
<main class="content">
<header class="page-header"><h1 class="title">{page_title}</h1>{description}</header>
{body}
</main>
<nav class="toc" aria-label="on this page"><div class="toc-title">On this page</div>{toc}</nav>
</div></body></html>
"""

CSS = """
:root { --fg:#212529; --muted:#6c757d; --line:#dee2e6; --accent:#2780e3; --code-bg:#f8f9fa; }
* { box-sizing: border-box; }
body { margin:0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color:var(--fg); }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
.navbar { position: sticky; top:0; z-index:10; display:flex; align-items:center; gap:1rem; padding:.55rem 1.2rem; background: var(--accent); color:#fff; }
.navbar a { color:#fff; } .navbar .brand { font-weight:600; font-size:1.15rem; } .navbar .repo { margin-left:auto; }
.navbar .preview { font-size:.8rem; opacity:.85; border:1px solid rgba(255,255,255,.6); border-radius:3px; padding:0 .4rem; }
.layout { display:grid; grid-template-columns: 260px minmax(0, 1fr) 220px; gap: 2rem; max-width: 1500px; margin: 0 auto; }
.sidebar, .toc { position: sticky; top: 3.2rem; align-self:start; max-height: calc(100vh - 3.5rem); overflow-y:auto; padding: 1.2rem 0 2rem 1rem; font-size:.9rem; }
.sidebar ul { list-style:none; margin:0; padding:0; } .sidebar li a { display:block; padding:.18rem .5rem; color:var(--fg); border-radius:3px; }
.sidebar li a.active { background:#e9f2fc; color:var(--accent); font-weight:600; }
.sidebar .section { margin: .9rem 0 .25rem .5rem; font-weight:600; font-size:.8rem; text-transform:uppercase; letter-spacing:.03em; color:var(--muted); }
.toc { padding-left:0; } .toc-title { font-weight:600; margin-bottom:.3rem; } .toc a { display:block; color:var(--muted); padding:.1rem 0; }
.content { padding: 1.2rem 0 4rem; min-width:0; }
.page-header { border-bottom:1px solid var(--line); margin-bottom:1.2rem; padding-bottom:.6rem; }
.page-header .title { margin:.2rem 0 .4rem; font-size:2rem; } .description { color:var(--muted); font-size:1.05rem; } .description p { margin:.3rem 0; }
h2 { margin-top:2rem; padding-bottom:.2rem; border-bottom:1px solid var(--line); } h3 { margin-top:1.6rem; }
.anchor-link { visibility:hidden; margin-left:.3rem; font-size:.8em; } h2:hover .anchor-link, h3:hover .anchor-link, h4:hover .anchor-link { visibility:visible; }
thead:not(:has(th:not(:empty))) { display:none; }   /* a `| | |` header row: nothing to show */
table { border-collapse: collapse; margin: .8rem 0; font-size:.92rem; display:block; overflow-x:auto; max-width:100%; }
th, td { border:1px solid var(--line); padding:.3rem .6rem; text-align:left; vertical-align:top; } thead th { background: var(--code-bg); }
code { font-family: SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size:.88em; background: var(--code-bg); padding:.05rem .25rem; border-radius:3px; }
pre { font-family: SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size:.85rem; line-height:1.45; margin:0; overflow-x:auto; }
pre code { background:none; padding:0; }
.cell { margin: .9rem 0; }
.input_area, .text_cell_render pre { background: var(--code-bg); border-left: 3px solid var(--accent); border-radius: 3px; padding: .6rem .8rem; }
.output_area pre { padding: .5rem .8rem; color:#333; white-space: pre; }
.output_wrapper { margin-top:.15rem; } .output_png img { max-width:100%; height:auto; }
.output_stderr pre { background:#fff5f5; }
.celltag_asis .output_markdown { border-top: 1px solid var(--line); padding-top:.3rem; margin-top: 1.2rem; }
.celltag_asis .output_markdown h3, .celltag_asis .output_markdown h4 { margin-top:.2rem; font-family: SFMono-Regular, Menlo, Consolas, monospace; }
.celltag_asis .output_markdown hr { display:none; }
.celltag_asis .output_markdown pre { background: var(--code-bg); padding:.5rem .8rem; border-radius:3px; }
img { max-width:100%; }
.callout-note, .callout-tip, .callout-warning, .callout-important { border-left:4px solid var(--accent); background:#f3f8fd; padding:.4rem 1rem; margin:1rem 0; }
.callout-warning, .callout-important { border-left-color:#ff7518; background:#fff8f1; }
@media (max-width: 1400px) { .layout { grid-template-columns: 250px minmax(0,1fr); padding-right: 1.5rem; } .toc { display:none; } }
@media (max-width: 760px) { .layout { display:block; padding: 0 1rem; } .sidebar { position:static; max-height:none; } }
"""

def render_page(nb, exp, site, entries, pages, current, fm, md2html) -> str:
    body, _ = exp.from_notebook_node(nb)
    body = body.replace(COLAB_BADGE, "colab-badge.svg")
    body = pandoc_ids(body)
    toc = "".join(f'<a href="#{i}">{html.unescape(re.sub(r"<[^>]+>", "", t)).replace("#", "").strip()}</a>'
                  for i, t in re.findall(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', body, flags=re.S))
    nav, section = [], object()
    for sec, nb_file in entries:
        if sec != section:
            if nav: nav.append("</ul>")
            if sec: nav.append(f'<div class="section">{html.escape(sec)}</div>')
            nav.append("<ul>"); section = sec
        href, title = pages[nb_file], pages.get(("title", nb_file), nb_file)
        cls = ' class="active" aria-current="page"' if href == current else ""
        nav.append(f'<li><a href="{href}"{cls}>{html.escape(title)}</a></li>')
    nav.append("</ul>")
    desc = fm.get("description", "")
    return PAGE.format(page_title=html.escape(fm.get("title", current)), site_title=html.escape(site.get("title", "")),
                       repo_url=html.escape(site.get("repo-url", "#")), sidebar="".join(nav), toc=toc, body=body,
                       description=f'<div class="description">{md2html(desc)}</div>' if desc else "")

def build(out: Path, proc: bool = True, workers: int = 1, root: Path = ROOT) -> list[Path]:
    global NBS, PROC
    NBS, PROC = root / "nbs", root / "_proc"
    t0 = time.time()
    if proc:
        from nbdev.serve import proc_nbs
        proc_nbs(str(NBS), n_workers=workers, skip_folder_re=r"^[_.]|^runs$")   # nbs/runs: checkpoints of local runs
        print(f"nbdev processed the notebooks into {PROC}/ in {time.time() - t0:.0f} s")
    import nbformat
    from nbconvert.filters.markdown import markdown2html_mistune
    quarto = quarto_config(NBS)
    site, warnings = quarto["website"], (quarto.get("execute") or {}).get("warning", True)
    entries = sidebar_entries(site)
    site_url = (site.get("site-url") or "").rstrip("/") + "/"
    missing = [f for _, f in entries if not (PROC / f).exists()]
    if missing: raise SystemExit(f"not in {PROC}: {missing} (run without --no-proc)")
    pages, fms = {}, {}
    for _, f in entries:
        nb = json.loads((PROC / f).read_text(encoding="utf-8"))
        fms[f] = fm = front_matter(nb)
        pages[f] = "index.html" if f == "index.ipynb" else output_name(f, fm)
        pages[("title", f)] = fm.get("title", f) if f != "index.ipynb" else "Home"
    if out.exists(): shutil.rmtree(out)
    out.mkdir(parents=True)
    exp, written = exporter(), []
    for _, f in entries:
        nb = nbformat.reads(json.dumps(prepare(json.loads((PROC / f).read_text(encoding="utf-8")), site_url, pages, warnings)), as_version=4)
        page = render_page(nb, exp, site, entries, pages, pages[f], fms[f], markdown2html_mistune)
        (out / pages[f]).write_text(page, encoding="utf-8")
        written.append(out / pages[f])
    from pygments.formatters import HtmlFormatter
    (out / "site.css").write_text(CSS + HtmlFormatter(style="default").get_style_defs(".highlight"), encoding="utf-8")
    if (NBS / "styles.css").exists(): shutil.copy(NBS / "styles.css", out / "styles.css")
    (out / "colab-badge.svg").write_text(BADGE_SVG, encoding="utf-8")
    print(f"wrote {len(written)} pages to {out} in {time.time() - t0:.0f} s in all")
    return written

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "_site"), help="output folder (default: _site)")
    ap.add_argument("--no-proc", action="store_true", help="reuse _proc/ as it is (skip nbdev's processing)")
    ap.add_argument("--root", default=str(ROOT), help="the project folder (default: this repository)")
    ap.add_argument("--workers", type=int, default=1, help="processes for nbdev's processing (default 1)")
    a = ap.parse_args(argv)
    build(Path(a.out), proc=not a.no_proc, workers=a.workers, root=Path(a.root))
    return 0

if __name__ == "__main__":
    sys.exit(main())

"""Bring every notebook in nbs/ to the course's cell conventions; safe to run again (it changes nothing the second time).

What it does, for each `nbs/*.ipynb`:

1. **Colab badge**: a markdown cell right after the title cell with an "Open in Colab" badge whose URL
   is `https://colab.research.google.com/github/<user>/<repo>/blob/<branch>/nbs/<file>`.
2. **Colab install cell** (chapters only, not `index`): the one hidden cell right after `#| default_exp`
   that pip-installs the course in Colab and calls `ftcourse.env.setup_colab()`; nothing happens elsewhere.
3. **Colab-safe export cell**: the closing `nbdev.nbdev_export()` cell skips itself in Colab, where the
   library is pip-installed and there is no project to export to.
4. **Pure test cells hidden**: a code cell whose statements are only `test_*(...)` calls, `assert`s and
   the assignments/loops/ifs around them, and which has no stored output, gets `#| hide`, so the docs
   site shows the teaching code, not every `test_eq`.
5. **Methods documented**: for every public method of a class exported by the notebook, a
   `show_doc(Class.method)` cell after the class's cell (nbdev documents top-level functions and
   classes by itself, methods only when asked).
6. **Imports split from code** (nbdev's docs build runs every cell that contains an import, to render
   `show_doc`; a cell that imports *and* trains would run during the docs build): top-level imports of a
   cell that also does other things move into their own cell just before it.

Usage: `python tools/course_cells.py [--check] [NOTEBOOK ...]` (default: every notebook in nbs/).
`--check` changes nothing and exits 1 when some notebook would change.
"""
import ast, hashlib, json, re, sys, tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT / "nbs"

def repo_info() -> tuple[str, str, str]:
    "(user, repo, branch) from pyproject.toml: [project.urls] Repository, [tool.nbdev] branch."
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())
    url = cfg["project"]["urls"]["Repository"].rstrip("/")
    user, repo = url.split("/")[-2:]
    return user, repo, cfg.get("tool", {}).get("nbdev", {}).get("branch", "main")

def colab_url(nb_name: str) -> str:
    user, repo, branch = repo_info()
    return f"https://colab.research.google.com/github/{user}/{repo}/blob/{branch}/nbs/{nb_name}"

BADGE_IMG = "https://colab.research.google.com/assets/colab-badge.svg"
def badge_markdown(nb_name: str) -> str:
    return f"[![Open In Colab]({BADGE_IMG})]({colab_url(nb_name)})"

def install_cell_source() -> str:
    user, repo, _ = repo_info()
    return ("#| hide\n"
            "# In Colab only: install the course once (the library from GitHub, then its data and embedded model); nothing happens elsewhere\n"
            "import sys, subprocess\n"
            f'if "google.colab" in sys.modules: subprocess.run([sys.executable, "-m", "pip", "install", "-q", '
            f'"ftcourse[colab] @ git+https://github.com/{user}/{repo}"], check=True); import ftcourse.env; ftcourse.env.setup_colab()')

EXPORT_CELL = ("#| hide\n"
               "import nbdev, ftcourse.env\n"
               "if not ftcourse.env.in_colab(): nbdev.nbdev_export()   # in Colab the library is pip-installed: nothing to export")

def src(cell) -> str: return "".join(cell["source"])
def set_src(cell, text: str): cell["source"] = text.splitlines(keepends=True)

def new_cell(kind: str, text: str, salt: str = "") -> dict:
    "A cell in nbformat 4.5's key order, with an id derived from its text (so a rerun makes the same id)."
    cid = hashlib.sha1(f"{salt}\n{text}".encode()).hexdigest()[:8]
    if kind == "code": return {"cell_type": kind, "execution_count": None, "id": cid, "metadata": {}, "outputs": [], "source": text.splitlines(keepends=True)}
    return {"cell_type": kind, "id": cid, "metadata": {}, "source": text.splitlines(keepends=True)}

def unique_ids(cells):
    "New ids that collide with an existing one get a suffix of the collision count."
    seen = set()
    for c in cells:
        cid, k = c.get("id"), 0
        while c.get("id") in seen: k += 1; c["id"] = f"{cid[:6]}{k:02d}"
        seen.add(c.get("id"))

def directives(text: str) -> dict:
    "nbdev/Quarto `#| name value` lines at the top of a cell."
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\s*#\|\s*([\w-]+):?\s*(.*)$", line)
        if not m: break
        out[m.group(1)] = m.group(2).strip()
    return out

def body(text: str) -> str:
    "The code of a cell without its directive lines (and without IPython `!`/`%` lines, which `ast` cannot parse)."
    lines = text.splitlines()
    while lines and re.match(r"^\s*#\|", lines[0]): lines.pop(0)
    return "\n".join("pass" if l.lstrip().startswith(("!", "%")) else l for l in lines)

def parse(text: str):
    try: return ast.parse(body(text))
    except SyntaxError: return None

# --- 1. badge -----------------------------------------------------------------------------------
def is_badge_cell(cell) -> bool: return cell["cell_type"] == "markdown" and "colab-badge.svg" in src(cell)

def ensure_badge(cells, nb_name) -> bool:
    want = badge_markdown(nb_name)
    found = [i for i, c in enumerate(cells) if is_badge_cell(c)]
    if found and len(found) == 1 and found[0] == 1 and src(cells[1]) == want: return False
    for i in reversed(found): del cells[i]
    cells.insert(1, new_cell("markdown", want))
    return True

# --- 2. install cell ----------------------------------------------------------------------------
def is_install_cell(cell) -> bool: return cell["cell_type"] == "code" and "google.colab" in src(cell) and "pip" in src(cell)

def ensure_install_cell(cells) -> bool:
    want = install_cell_source()
    exp = next((i for i, c in enumerate(cells) if c["cell_type"] == "code" and "default_exp" in directives(src(c))), None)
    if exp is None: return False
    found = [i for i, c in enumerate(cells) if is_install_cell(c)]
    if found == [exp + 1] and src(cells[exp + 1]) == want: return False
    for i in reversed(found): del cells[i]
    exp = next(i for i, c in enumerate(cells) if c["cell_type"] == "code" and "default_exp" in directives(src(c)))
    cells.insert(exp + 1, new_cell("code", want))
    return True

# --- 3. export cell -----------------------------------------------------------------------------
def fix_export_cell(cells) -> bool:
    changed = False
    for c in cells:
        if c["cell_type"] == "code" and "nbdev_export()" in src(c) and src(c) != EXPORT_CELL and "hide" in directives(src(c)):
            set_src(c, EXPORT_CELL); c["outputs"] = []; changed = True
    return changed

# --- 4. hide pure test cells ----------------------------------------------------------------------
def _is_test_call(node) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name) \
        and node.value.func.id.startswith("test_")

def _pure(stmts) -> tuple[bool, int]:
    "(only tests and their scaffolding?, number of test statements)"
    n = 0
    for s in stmts:
        if _is_test_call(s) or isinstance(s, ast.Assert): n += 1
        elif isinstance(s, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete, ast.Pass)): pass
        elif isinstance(s, (ast.If, ast.For, ast.With)):
            ok, k = _pure(s.body + getattr(s, "orelse", []))
            if not ok: return False, 0
            n += k
        elif isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Attribute) \
                and s.value.func.attr in ("pop", "update", "clear", "setdefault", "unlink"): pass   # restoring state
        else: return False, 0
    return True, n

def is_pure_test_cell(cell) -> bool:
    if cell["cell_type"] != "code" or cell.get("outputs"): return False
    text = src(cell)
    d = directives(text)
    if d.keys() & {"hide", "export", "exports", "exporti", "default_exp", "eval", "echo", "include"}: return False
    tree = parse(text)
    if tree is None or not tree.body: return False
    ok, n = _pure(tree.body)
    return ok and n > 0

def hide_pure_tests(cells) -> bool:
    changed = False
    for c in cells:
        if is_pure_test_cell(c):
            set_src(c, "#| hide\n" + src(c)); changed = True
    return changed

# --- 5. show_doc for methods --------------------------------------------------------------------
def _is_property(fn) -> bool:
    return any((isinstance(d, ast.Name) and d.id in ("property", "cached_property")) or
               (isinstance(d, ast.Attribute) and d.attr in ("setter", "getter", "deleter", "cached_property")) for d in fn.decorator_list)

def exported_methods(cell) -> list[tuple[str, str]]:
    "(class, method) for the public methods of the public classes an export cell defines."
    if cell["cell_type"] != "code" or not directives(src(cell)).keys() & {"export", "exports"}: return []
    tree = parse(src(cell))
    if tree is None: return []
    return [(n.name, m.name) for n in tree.body if isinstance(n, ast.ClassDef) and not n.name.startswith("_")
            for m in n.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and not m.name.startswith("_") and not _is_property(m)]

SHOWDOC_RE = re.compile(r"^\s*show_doc\(\s*([\w.]+)\s*[,)]", re.M)

def ensure_method_docs(cells) -> bool:
    shown = {m.group(1) for c in cells if c["cell_type"] == "code" for m in SHOWDOC_RE.finditer(src(c))}
    changed, i = False, 0
    while i < len(cells):
        meths = [f"{k}.{m}" for k, m in exported_methods(cells[i]) if f"{k}.{m}" not in shown]
        j = i + 1
        while j < len(cells) and cells[j]["cell_type"] == "code" and SHOWDOC_RE.match(body(src(cells[j]))): j += 1  # after existing show_doc cells
        for k, name in enumerate(meths):
            cells.insert(j + k, new_cell("code", f"show_doc({name})")); shown.add(name); changed = True
        i = j + len(meths) if meths else i + 1
    if changed and not any("from nbdev.showdoc import" in src(c) for c in cells if c["cell_type"] == "code"):
        at = next(i for i, c in enumerate(cells) if is_install_cell(c) or "default_exp" in directives(src(c)))
        at = max(i for i, c in enumerate(cells[:at + 2]) if is_install_cell(c) or "default_exp" in directives(src(c)))
        cells.insert(at + 1, new_cell("code", "#| hide\nfrom nbdev.showdoc import show_doc"))
    return changed

# --- 6. split imports from other code -----------------------------------------------------------
def split_imports(cells, report) -> bool:
    changed, i = False, 0
    while i < len(cells):
        c = cells[i]
        text = src(c)
        d = directives(text)
        if c["cell_type"] != "code" or d.keys() & {"export", "exports", "exporti", "default_exp"} or "google.colab" in text or "nbdev_export()" in text:
            i += 1; continue
        tree = parse(text)
        if tree is None: i += 1; continue
        imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
        if not imports or all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in tree.body): i += 1; continue
        parents = {ch: n for n in ast.walk(tree) for ch in ast.iter_child_nodes(n)}
        def movable(n):   # at the top, or inside with/for/if/while blocks only (not in a try, a def or a class)
            while n in parents:
                n = parents[n]
                if not isinstance(n, (ast.Module, ast.With, ast.For, ast.If, ast.While)): return False
            return True
        if not all(movable(n) for n in imports):
            report.append(f"cell {i}: an import inside a function or try block; nbdev's docs build runs this cell")
            i += 1; continue
        lines = text.splitlines()
        n_dir = len(lines) - len(body(text).splitlines())
        drop = set()
        for n in imports: drop.update(range(n_dir + n.lineno - 1, n_dir + n.end_lineno))
        rest = "\n".join(l for k, l in enumerate(lines) if k not in drop)
        if any(";" in lines[k] for k in drop) or parse(rest) is None:
            report.append(f"cell {i}: its imports cannot be moved out cleanly; nbdev's docs build runs this cell"); i += 1; continue
        dir_lines = lines[:n_dir]
        imp = "\n".join(dir_lines + [lines[k].strip() for k in sorted(drop)])
        set_src(c, rest.rstrip("\n"))
        cells.insert(i, new_cell("code", imp))
        changed = True
        i += 2
    return changed

def process(path: Path, report) -> bool:
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    rep = []
    changed = ensure_badge(cells, path.name)
    if path.name != "index.ipynb":
        changed |= ensure_install_cell(cells)
        changed |= fix_export_cell(cells)
        changed |= split_imports(cells, rep)
        changed |= hide_pure_tests(cells)
        changed |= ensure_method_docs(cells)
    if changed: unique_ids(cells)
    report += [f"{path.name}: {r}" for r in rep]
    if changed: path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed

def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    check = "--check" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")] or sorted(NBS.glob("*.ipynb"))
    report, stale = [], []
    for p in paths:
        if check:
            import shutil, tempfile
            with tempfile.TemporaryDirectory() as d:
                tmp = Path(d) / p.name; shutil.copy(p, tmp)
                if process(tmp, report): stale.append(p.name)
        elif process(p, report): print(f"updated {p}")
    for r in report: print("note:", r)
    if check and stale:
        print("notebooks not in the course's cell conventions (run `python tools/course_cells.py`):", ", ".join(stale))
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main())

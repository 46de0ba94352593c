"""Every notebook opens in Colab and runs there: an "Open in Colab" badge with its own URL, the one-line hidden install
cell (chapters), and a first cell that says what the chapter teaches, what hardware it needs and how long it takes.
`tools/course_cells.py` writes the badge and the install cell; this test checks them, from the files."""
import ast, json, re, shutil, sys
from pathlib import Path
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import course_cells  # noqa: E402

NOTEBOOKS = sorted((ROOT / "nbs").glob("*.ipynb"))
CHAPTER = re.compile(r"^\d\d_\w+\.ipynb$")

def cells_of(path: Path) -> list:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]

def src(cell) -> str: return "".join(cell["source"])

def colab_problems(path: Path) -> list[str]:
    "What keeps the notebook at `path` from opening and running in Colab as the course promises; [] when nothing."
    cells, name, out = cells_of(path), path.name, []
    # 1. the badge, near the top, with this notebook's URL
    url = course_cells.colab_url(name)
    badges = [(i, c) for i, c in enumerate(cells[:4]) if c["cell_type"] == "markdown" and "colab-badge.svg" in src(c)]
    if not badges: out.append("no 'Open in Colab' badge in its first cells")
    elif f"]({url})" not in src(badges[0][1]):
        found = re.findall(r"\]\((https://colab[^)]*)\)", src(badges[0][1]))
        out.append(f"the Colab badge links {found}, not {url}")
    # 2. what it teaches (the title and its one-line summary), hardware and time: the first cells, before any code
    first = cells[0] if cells else {"cell_type": "code", "source": []}
    if first["cell_type"] != "markdown" or not re.match(r"^# \S", src(first)) or not re.search(r"^> \S", src(first), re.M):
        out.append("the first cell is not '# Title' with a '> what it teaches' line")
    if CHAPTER.match(name):
        intro = "\n".join(src(c) for c in cells[:4] if c["cell_type"] == "markdown")
        for row in ("What you need", "How long"):
            m = re.search(rf"\|\s*\*\*{row}\*\*\s*\|\s*([^|\n]*)\|", intro)
            if not m or len(m.group(1).strip()) < 3: out.append(f"no '{row}' row (hardware / time) in the table under the title")
        # 3. the hidden install cell: the first code cell after `#| default_exp`, only in Colab, one statement
        code = [(i, c) for i, c in enumerate(cells) if c["cell_type"] == "code"]
        exp = next((k for k, (_, c) in enumerate(code) if re.match(r"^#\|\s*default_exp\b", src(c))), None)
        cell = src(code[exp + 1][1]) if exp is not None and exp + 1 < len(code) else ""
        lines = [l for l in cell.splitlines() if l.strip() and not l.lstrip().startswith("#")]
        if not cell.startswith("#| hide"): out.append("the code cell after `#| default_exp` is not a hidden (`#| hide`) install cell")
        elif '"google.colab" in sys.modules' not in cell or "setup_colab()" not in cell or "pip" not in cell:
            out.append("the install cell does not pip-install the course and call ftcourse.env.setup_colab() when in Colab")
        elif len(lines) > 2 or not lines[-1].startswith('if "google.colab" in sys.modules:'):
            out.append(f"the install cell is not one guarded line (imports, then `if \"google.colab\" in sys.modules: ...`): {lines}")
        elif "torch" in cell.split("pip")[1]:
            out.append("the install cell installs torch: Colab's own torch must stay")
        else:
            try: ast.parse("\n".join(l for l in cell.splitlines() if not l.startswith("#|")))
            except SyntaxError as e: out.append(f"the install cell does not parse: {e}")
    return out

@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_opens_in_colab(nb):
    problems = colab_problems(nb)
    assert not problems, f"{nb.name}: " + "; ".join(problems) + " (`python tools/course_cells.py` writes the badge and the install cell)"

def test_colab_extra_covers_the_install_cell():
    "The install cell installs `ftcourse[colab]`: that extra exists, and it does not pin torch (Colab's stays)."
    import tomllib
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert "colab" in extras, "pyproject.toml has no `colab` extra"
    assert not any(d.startswith("torch") for d in extras["colab"]), extras["colab"]
    assert 'ftcourse[colab] @ git+' in course_cells.install_cell_source()

@pytest.mark.parametrize("breakage", ["badge", "badge_url", "install", "install_unguarded", "how_long", "title"])
def test_the_check_catches_a_broken_notebook(tmp_path, breakage):
    "Each of the three promises, broken in a copy of a chapter, is reported."
    src_nb = ROOT / "nbs" / "00_env.ipynb"
    nb = json.loads(src_nb.read_text(encoding="utf-8"))
    cells = nb["cells"]
    def find(pred): return next(c for c in cells if pred(c))
    if breakage == "badge": cells.remove(find(lambda c: "colab-badge.svg" in src(c)))
    elif breakage == "badge_url":
        c = find(lambda c: "colab-badge.svg" in src(c)); c["source"] = [src(c).replace("00_env.ipynb", "01_models.ipynb")]
    elif breakage == "install": cells.remove(find(lambda c: "google.colab" in src(c) and c["cell_type"] == "code"))
    elif breakage == "install_unguarded":
        c = find(lambda c: "google.colab" in src(c) and c["cell_type"] == "code"); c["source"] = [src(c).replace('if "google.colab" in sys.modules: ', "")]
    elif breakage == "how_long":
        c = find(lambda c: "**How long**" in src(c)); c["source"] = [src(c).replace("**How long**", "**When**")]
    elif breakage == "title": cells[0]["source"] = ["Setup\n"]
    broken = tmp_path / "00_env.ipynb"
    broken.write_text(json.dumps(nb), encoding="utf-8")
    assert colab_problems(src_nb) == [], colab_problems(src_nb)
    assert colab_problems(broken), f"breaking the {breakage} went unnoticed"

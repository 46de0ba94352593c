"The course's architecture, checked: one notebook per module named for it, and no chapter importing a later one."
import ast, json, re, subprocess, sys
from conftest import ROOT, run

CHAPTER_RE = re.compile(r"^(\d\d)_(\w+)\.ipynb$")

def chapters() -> dict:
    "module name -> (chapter number, notebook path), from the notebooks' `#| default_exp` lines."
    out = {}
    for nb in sorted((ROOT / "nbs").glob("*.ipynb")):
        cells = json.loads(nb.read_text())["cells"]
        exp = [m.group(1) for c in cells if c["cell_type"] == "code"
               for m in [re.match(r"#\|\s*default_exp\s+(\S+)", "".join(c["source"]))] if m]
        if not exp: continue
        m = CHAPTER_RE.match(nb.name)
        assert m, f"{nb.name} exports {exp[0]} but is not named NN_module.ipynb"
        assert m.group(2) == exp[0], f"{nb.name} exports ftcourse.{exp[0]}: name it {m.group(1)}_{exp[0]}.ipynb"
        assert exp[0] not in out, f"ftcourse.{exp[0]} is exported by two notebooks: {out[exp[0]][1].name} and {nb.name}"
        out[exp[0]] = (int(m.group(1)), nb)
    return out

def imported_chapters(path) -> set:
    "Every ftcourse module `path` imports, at the top or inside a function."
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level == 1: found.add(mod.split(".")[0] if mod else None)
            elif mod.startswith("ftcourse."): found.add(mod.split(".")[1])
            elif mod == "ftcourse": found.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("ftcourse."))
    return found - {None}

def test_every_module_has_its_notebook():
    mods = {p.stem for p in (ROOT / "ftcourse").glob("*.py")} - {"__init__", "_modidx"}
    assert mods == set(chapters()), f"modules without a notebook: {sorted(mods - set(chapters()))}; notebooks without a module: {sorted(set(chapters()) - mods)}"

def test_no_chapter_imports_a_later_one():
    ch = chapters()
    later = [f"{mod} (chapter {ch[mod][0]:02d}) imports {dep} (chapter {ch[dep][0]:02d})"
             for mod in ch for dep in imported_chapters(ROOT / "ftcourse" / f"{mod}.py") if dep in ch and ch[dep][0] >= ch[mod][0] and dep != mod]
    assert not later, "chapters import later chapters:\n" + "\n".join(later)

def test_importing_a_chapter_loads_no_later_one():
    "The import graph as Python sees it: import each module in a fresh process and list the ftcourse modules it loaded."
    ch = chapters()
    code = ("import importlib, sys, json; importlib.import_module('ftcourse.' + sys.argv[1]); "
            "print(json.dumps(sorted(m.split('.')[1] for m in sys.modules if m.startswith('ftcourse.') and m != 'ftcourse._modidx')))")
    bad = []
    for mod, (num, _) in ch.items():
        p = run([sys.executable, "-c", code, mod])
        assert p.returncode == 0, p.stderr[-2000:]
        loaded = json.loads(p.stdout.strip().splitlines()[-1])
        bad += [f"import ftcourse.{mod} (chapter {num:02d}) loads ftcourse.{d} (chapter {ch[d][0]:02d})" for d in loaded if ch[d][0] > num]
    assert not bad, "\n".join(bad)

def test_top_level_api_resolves():
    import ftcourse
    missing = [n for n in ftcourse.API if not hasattr(importlib_module(f"ftcourse.{ftcourse.API[n]}"), n)]
    assert not missing, f"ftcourse.API names that their module lacks: {missing}"
    from ftcourse import load_model, train_sft, evaluate_generation, SFTRecipe   # noqa: F401  (the README's imports)

def importlib_module(name):
    import importlib
    return importlib.import_module(name)

def test_every_imported_library_name_exists():
    "`from ftcourse.X import name` anywhere in the library (inside functions too) names something X defines: a stale lazy import fails here, not mid-run."
    import importlib
    bad = []
    for path in sorted((ROOT / "ftcourse").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom): continue
            mod = ("ftcourse." + node.module) if node.level == 1 else node.module
            if not mod or not mod.startswith("ftcourse."): continue
            target = importlib.import_module(mod)
            bad += [f"{path.name}:{node.lineno}: {mod} has no {a.name}" for a in node.names if not hasattr(target, a.name)]
    assert not bad, "\n".join(bad)

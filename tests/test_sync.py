"The generated files must be what their sources give: the library, the README and the data."
import shutil, sys
from conftest import ROOT, BIN, run

HAND_WRITTEN = ("__init__.py",)   # the package's version and its lazy top-level API; every other file is generated

def test_library_is_in_sync_with_notebooks(tmp_path):
    "nbdev-export from the notebooks alone, into an empty package folder, must reproduce ftcourse/ exactly: no file differs, none is missing, none is extra."
    shutil.copytree(ROOT / "nbs", tmp_path / "nbs")
    (tmp_path / "ftcourse").mkdir()
    for name in HAND_WRITTEN: shutil.copy(ROOT / "ftcourse" / name, tmp_path / "ftcourse" / name)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    p = run([str(BIN / "nbdev-export")], cwd=tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    drift = []
    for f in sorted((tmp_path / "ftcourse").glob("*.py")):
        committed = ROOT / "ftcourse" / f.name
        if not committed.exists() or committed.read_text() != f.read_text(): drift.append(f.name)
    extra = {f.name for f in (ROOT / "ftcourse").glob("*.py")} - {f.name for f in (tmp_path / "ftcourse").glob("*.py")}
    assert not drift and not extra, f"ftcourse/ differs from nbdev-export for {drift + sorted(extra)}: run nbdev-export and commit"

def test_readme_is_generated_from_index():
    p = run([sys.executable, "tools/make_readme.py", "--check"])
    assert p.returncode == 0, p.stdout + p.stderr

def test_dataset_files_match_generator():
    p = run([sys.executable, "data/make_datasets.py", "--check"])
    assert p.returncode == 0, p.stdout + p.stderr

"The generated files must be what their sources give: the library, the README and the data."
import shutil, sys
from conftest import ROOT, BIN, run

def test_library_is_in_sync_with_notebooks(tmp_path):
    "nbdev-export in a copy of the project must reproduce ftcourse/ exactly."
    for name in ("nbs", "ftcourse"): shutil.copytree(ROOT / name, tmp_path / name)
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

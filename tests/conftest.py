import os, sys, subprocess
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

def run(args, env=None, cwd=None, timeout=600):
    "Run a command with the test environment (offline, one torch thread) and return the CompletedProcess."
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "2", **(env or {})}
    return subprocess.run(args, capture_output=True, text=True, env=full_env, cwd=cwd or ROOT, timeout=timeout)

def check_generator(script: str, tmp_path, files: list[str], sample: str):
    "A data generator's contract: `--check` finds the committed files current; two builds under different hash seeds give byte-identical `files`; `--seed 1` changes `sample`."
    p = run([sys.executable, script, "--check"])
    assert p.returncode == 0, p.stdout + p.stderr
    for h in ("1", "2"):
        p = run([sys.executable, script, "--out", str(tmp_path / h)], env={"PYTHONHASHSEED": h})
        assert p.returncode == 0, p.stderr
    assert sorted(files) == sorted(f.name for f in (tmp_path / "1").iterdir())
    for name in files: assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name
    p = run([sys.executable, script, "--out", str(tmp_path / "s1"), "--seed", "1"])
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "s1" / sample).read_bytes() != (tmp_path / "1" / sample).read_bytes()

@pytest.fixture
def ftcourse_cmd():
    "The installed `ftcourse` console script."
    path = BIN / "ftcourse"
    if not path.exists(): pytest.fail(f"{path} is missing: install the project with `pip install -e .`")
    return str(path)

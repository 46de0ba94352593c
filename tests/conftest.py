import os, sys, subprocess
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

def run(args, env=None, cwd=None, timeout=600):
    "Run a command with the test environment (offline, one torch thread) and return the CompletedProcess."
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "2", **(env or {})}
    return subprocess.run(args, capture_output=True, text=True, env=full_env, cwd=cwd or ROOT, timeout=timeout)

@pytest.fixture
def ftcourse_cmd():
    "The installed `ftcourse` console script."
    path = BIN / "ftcourse"
    if not path.exists(): pytest.fail(f"{path} is missing: install the project with `pip install -e .`")
    return str(path)

"Kill a training process after a checkpoint, resume it, and get the losses of a run that was never killed."
import json, signal, subprocess, time
from conftest import BIN, run
from ftcourse.train import last_checkpoint

def cmd(out, *extra):
    return [str(BIN / "ftcourse"), "train", "--model", "tiny-random", "--tasks", "date", "--steps", "30", "--batch-size", "4",
            "--learning-rate", "3e-3", "--save-steps", "5", "--out", str(out), "--no-progress", *extra]

def test_resume_after_sigkill_continues_the_same_curve(tmp_path):
    ref = run(cmd(tmp_path / "ref"))
    assert ref.returncode == 0, ref.stderr[-3000:]
    proc = subprocess.Popen(cmd(tmp_path / "killed"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**__import__("os").environ, "HF_HUB_OFFLINE": "1"})
    deadline = time.time() + 300
    while last_checkpoint(tmp_path / "killed") is None and proc.poll() is None and time.time() < deadline: time.sleep(0.05)
    proc.send_signal(signal.SIGKILL); proc.wait()
    ckpt = last_checkpoint(tmp_path / "killed")
    assert ckpt is not None, "no checkpoint was written before the process ended"
    assert not (tmp_path / "killed" / "history.json").exists(), "the run finished before it could be killed"
    resumed = run(cmd(tmp_path / "killed", "--resume"))
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    a = dict(json.loads((tmp_path / "ref" / "history.json").read_text())["losses"])
    b = dict(json.loads((tmp_path / "killed" / "history.json").read_text())["losses"])
    start = int(ckpt.name.split("-")[-1])
    assert sorted(a) == sorted(b) == list(range(1, 31))
    assert all(abs(a[s] - b[s]) < 1e-4 for s in b if s > start), (start, a, b)

def test_resume_without_checkpoint_is_a_clear_error(tmp_path):
    p = run(cmd(tmp_path / "empty", "--resume"))
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "no complete checkpoint-N folder" in p.stderr

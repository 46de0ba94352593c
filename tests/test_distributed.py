"Data-parallel training: 2 CPU processes (gloo) with batch 4 each give the losses of 1 process with batch 8."
import json
from conftest import ROOT, BIN, run

ARGS = ["train", "--model", "tiny-random", "--tasks", "date", "--steps", "5", "--learning-rate", "3e-3", "--no-progress"]

def test_two_process_ddp_matches_one_process(tmp_path):
    single = run([str(BIN / "ftcourse"), *ARGS, "--batch-size", "8", "--out", str(tmp_path / "one")])
    assert single.returncode == 0, single.stderr[-3000:]
    ddp = run([str(BIN / "accelerate"), "launch", "--config_file", str(ROOT / "configs" / "ddp_cpu.yaml"),
               str(BIN / "ftcourse"), *ARGS, "--batch-size", "4", "--out", str(tmp_path / "two")], env={"OMP_NUM_THREADS": "1"})
    assert ddp.returncode == 0, ddp.stderr[-3000:]
    one = json.loads((tmp_path / "one" / "history.json").read_text())
    two = json.loads((tmp_path / "two" / "history.json").read_text())
    assert (one["world_size"], two["world_size"]) == (1, 2)
    assert [s for s, _ in one["losses"]] == [s for s, _ in two["losses"]] == [1, 2, 3, 4, 5]
    for (_, a), (_, b) in zip(one["losses"], two["losses"]): assert abs(a - b) < 1e-4, (one["losses"], two["losses"])

"The time-to-accuracy benchmark end to end on the tiny random model: its JSON, its table, and the completion-only loss equal to TRL's."
import json, sys
from conftest import ROOT, run

def test_time_to_accuracy_tiny(tmp_path):
    out = tmp_path / "tta.json"
    p = run([sys.executable, str(ROOT / "benchmarks" / "time_to_accuracy.py"), "--model", "tiny-random", "--recipes", "combined",
             "--max-steps", "2", "--eval-every", "1", "--eval-rows", "4", "--test-rows", "4", "--max-new-tokens", "8",
             "--peak-sizes", "256", "--peak-reps", "1", "--quiet", "--out", str(out)])
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-3000:]
    assert "not reached in 2 steps" in p.stdout and "fp32 matmul peak" in p.stdout
    d = json.loads(out.read_text())
    assert d["peak"]["gflops"] > 0 and d["recipes"] and "flops_counting" in d
    check = d["loss_check"]          # the completion-only loss and its adapter gradients equal TRL's
    assert check["loss_rel_diff"] < 1e-5 and check["grad_rel_diff"] < 1e-4 and check["grad_norm"] > 0, check
    assert abs(check["loss"]["transformers_full_logits"] - check["loss"]["trl"]) < 1e-4 * abs(check["loss"]["trl"])
    assert check["completion_positions"] < check["positions"]
    r = d["recipes"][0]
    assert r["recipe"] == "combined" and r["sft_recipe"]["completion_logits"] and r["system"].startswith("none")
    assert r["reached"] is False and r["steps"] == 2 and r["seconds_to_target"] is None
    assert [c["step"] for c in r["curve"]] == [0, 1, 2] and all(0 <= c["exact_match"] <= 1 for c in r["curve"])
    assert r["real_tokens"] > 0 and r["padded_tokens"] >= r["real_tokens"] and r["achieved_gflops"] > 0 and r["pct_of_peak"] > 0
    assert r["final_rows"] == 4 and 0 <= r["final_exact_match"] <= 1 and r["gradient_checkpointing"] is False

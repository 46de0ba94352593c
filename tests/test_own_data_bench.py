"The own-data benchmark (issue 16) end to end on the tiny random model, 2 steps: both fresh tasks together, the as-given and the paraphrase recipe, through train_job and the evaluator; its table and JSON. And its paraphrases, on the full training files, never produce an unseen wording."
import importlib.util, json, sys
from conftest import ROOT, run

SCRIPT = ROOT / "benchmarks" / "own_data.py"

def bench():
    spec = importlib.util.spec_from_file_location("own_data", SCRIPT)
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod

def test_own_data_tiny(tmp_path):
    out = tmp_path / "own.json"
    p = run([sys.executable, str(SCRIPT), "--model", "tiny", "--steps", "2", "--max-rows", "4", "--tasks", "both",
             "--recipes", "as-given,paraphrase", "--max-new-tokens", "8", "--threads", "1", "--quiet",
             "--runs-dir", str(tmp_path / "runs"), "--out", str(out)])
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-3000:]
    assert "task" in p.stdout and "gap" in p.stdout and "train s" in p.stdout and "base model" in p.stdout
    d = json.loads(out.read_text())
    assert d["hardware"] and d["model"] == "tiny-random" and set(d["recipes"]) == {"as-given", "paraphrase"}
    assert d["test_rows"] == {"clock24": {"test_seen": 4, "test_unseen": 4}, "spelled_number": {"test_seen": 4, "test_unseen": 4}}
    runs = {r["recipe"]: r for r in d["runs"]}
    assert runs["as-given"]["train_rows_with_paraphrases"] == 8 and runs["paraphrase"]["train_rows_with_paraphrases"] == 24   # 2 paraphrases per row
    for r in runs.values():
        assert r["group"] == "both" and r["steps"] == 2 and r["train_seconds"] > 0 and r["paraphrases_equal_to_unseen"] == 0
        assert set(r["after"]["per_task"]) == {"clock24", "spelled_number"}
        assert all(0 <= r[k][s] <= 1 for k in ("before", "after") for s in ("seen", "unseen"))
        assert abs(r["after"]["gap"] - (r["after"]["seen"] - r["after"]["unseen"])) < 1e-9
        assert len(r["examples"]["test_seen"]) == len(r["examples"]["test_unseen"]) == 8
        folder = tmp_path / "runs" / f"both-{r['recipe']}"
        assert (folder / "final" / "adapter_config.json").exists() and json.loads((folder / "results.json").read_text())["scores"]["after"]
    trained = [json.loads(l) for l in (tmp_path / "runs" / "both-as-given" / "data" / "train.jsonl").read_text().splitlines()]
    assert all(list(r)[0] == "messages" and r["messages"][-1]["role"] == "assistant" for r in trained)

def test_paraphrases_never_reach_an_unseen_wording():
    "On the full training files, every paraphrase the library adds (`paraphrase_rows`, as `train_job` does) is new and none equals (or contains) a test_unseen instruction."
    from ftcourse.prepare import paraphrase_rows
    mod = bench()
    splits = mod.load_splits(ROOT / "data" / "fresh", None)
    for group, tasks in mod.GROUPS.items():
        rows = [r for t in tasks for r in splits[t, "train"]]
        unseen = {mod.norm(r["instruction"]) for t in tasks for r in splits[t, "test_unseen"]}
        out = paraphrase_rows(rows, 2, seed=0)
        assert mod.unseen_paraphrases(rows, 2, 0, unseen) == 0 and len(out) == 3 * len(rows), group
        assert not [r for r in out for u in unseen if u in mod.norm(r["instruction"] + " " + r["input"])], group

"The serve load benchmark end to end on the tiny random model: our server one at a time, batched, and `transformers serve`, with 0 failures."
import json, sys
from conftest import ROOT, run

def test_serve_load_tiny(tmp_path):
    out = tmp_path / "serve_load.json"
    # --start-all: the three servers load in parallel; one torch thread each (several spin against each other on a busy CPU)
    p = run([sys.executable, str(ROOT / "benchmarks" / "serve_load.py"), "--model", "tiny", "--clients", "4", "--requests", "8",
             "--max-tokens", "4", "--max-batch", "8", "--servers", "ours-1,ours-batched,transformers", "--start-all", "--threads", "1",
             "--time-limit", "40", "--start-timeout", "45", "--out", str(out)], timeout=120)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-3000:]
    table = p.stdout[p.stdout.index("\nserver "):]
    for label in ("ours, max_batch 1 (one at a time)", "ours, max_batch 8 (batched)", "transformers serve"):
        line = next((l for l in table.splitlines() if l.startswith(label + " ")), None)
        assert line is not None, table
        assert line.split()[len(label.split()):][:2] == ["8/8", "0"], line            # ok, failed
    assert "failures:" not in table and "[ours-1] 8/8 ok" in p.stderr
    d = json.loads(out.read_text())
    assert out.with_suffix(".log").read_text().strip().endswith(table.strip().splitlines()[-1].strip())
    assert [r["server"] for r in d["rows"]] == ["ours-1", "ours-batched", "transformers"] and d["hardware"]
    for r in d["rows"]:
        assert r["ok"] == 8 and r["failed"] == 0 and not r["errors"], r
        assert r["tokens"] == 8 * 4 and r["usage_reported"] and r["requests_per_s"] > 0 and r["tokens_per_s"] > 0
        assert 0 < r["ttft_p50_s"] <= r["p50_s"] + 1e-9 and r["p50_s"] <= r["p95_s"]
        assert all(isinstance(t, str) for t in r["replies"])
    same = [[t.strip() for t in r["replies"]] for r in d["rows"]]   # greedy on one model folder: the same replies everywhere
    assert same[0] == same[1] == same[2]

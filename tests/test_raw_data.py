"The raw, dirty dataset of chapter 30 is what its generator gives, the same under any hash seed, and its answer key matches it."
import csv, json, sys
from conftest import ROOT, run, check_generator

def test_raw_generator_is_current_and_deterministic(tmp_path):
    "The committed raw files are what make_raw.py writes, the same under any hash seed; another seed gives other data."
    check_generator("data/make_raw.py", tmp_path, sorted(f.name for f in (ROOT / "data" / "raw").iterdir()), "export.jsonl")

def test_answer_key_covers_every_row():
    "Every row id in the three raw files has an entry in the answer key, and every malformed line is listed."
    raw = ROOT / "data" / "raw"
    key = json.loads((raw / "answer_key.json").read_text())
    ids = set()
    for line in (raw / "export.jsonl").read_text().splitlines():
        try: row = json.loads(line)
        except json.JSONDecodeError: continue
        if isinstance(row, dict) and not str(row.get("id", "")).startswith("BAD"): ids.add(row["id"])
    ids |= {r["id"] for r in json.loads((raw / "chats.json").read_text()) if not r["id"].startswith("c9")}
    with open(raw / "webform.csv", newline="", encoding="utf-8") as f:
        ids |= {r["id"] for r in csv.DictReader(f) if not r["id"].startswith("w9")}
    assert ids <= set(key["rows"]), sorted(ids - set(key["rows"]))[:5]
    assert len(key["malformed_lines"]) == 10

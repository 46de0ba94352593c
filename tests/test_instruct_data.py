"The instruction set of chapter 52 (data/instruct), checked from its files: test_unseen shares no format family, no instruction wording and no input with the other splits; the counts are the documented ones; every answer passes its task's checker. A last test injects leaks into a copy and checks that each one is caught."
import datetime, json, re, shutil, sys
from decimal import Decimal
from conftest import ROOT, check_generator

DATA = ROOT / "data" / "instruct"
SPLITS = ("train", "validation", "test_seen", "test_unseen", "train_extra")
FIELDS = ["instruction", "input", "output", "task", "format", "wording"]
COUNTS = {   # as data/instruct/README.md documents them
    "train":       {"date": 800, "units": 300, "extract": 300, "sentiment": 300},
    "validation":  {"date": 60, "units": 30, "extract": 30, "sentiment": 30},
    "test_seen":   {"date": 100, "units": 40, "extract": 40, "sentiment": 40},
    "test_unseen": {"date": 144, "units": 48, "extract": 48, "sentiment": 48},
    "train_extra": {"date": 280, "units": 0, "extract": 0, "sentiment": 0},
}

# ---- helpers: each takes a folder of split files, so the leak test can run them on a tampered copy

def load(folder=DATA) -> dict:
    "{split: rows} read from `folder`."
    return {s: [json.loads(l) for l in (folder / f"{s}.jsonl").read_text(encoding="utf-8").splitlines()] for s in SPLITS}

def norm(text: str) -> str: return " ".join(text.lower().split())

MONTHS = "january february march april may june july august september october november december".split()
NAME_WORDS = sorted({*MONTHS, *(m[:3] for m in MONTHS), "sept", "monday", "tuesday", "wednesday", "thursday", "friday",
                     "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun"}, key=len, reverse=True)
ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
            "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth").split()
WORD_RE = re.compile(r"\b(" + "|".join(NAME_WORDS) + r")\b", re.I)
ORD_RE = re.compile(r"\b(?:(?:twenty|thirty)-)?(" + "|".join(ORDINALS) + r")\b", re.I)
ROMAN_RE = re.compile(r"(?<=\.)(?:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)(?=\.)")

def _case(word: str, mark: str) -> str:
    "`mark` doubled, in the case of `word`: NN (upper), Nn (title), nn (lower)."
    return (mark * 2).upper() if word.isupper() else (mark * 2).capitalize() if word[0].isupper() else mark * 2

def shape(text: str) -> str:
    "The surface form of an input, whatever its values: digits as 9, month and weekday names as <nn>, ordinal words as <oo>, Roman months as <r>, each in its word's case (<NN>, <Nn>, <nn>)."
    text = ROMAN_RE.sub("<r>", text)
    text = ORD_RE.sub(lambda m: "<" + _case(m.group(0), "o") + ">", text)
    text = WORD_RE.sub(lambda m: "<" + _case(m.group(0), "n") + ">", text)
    return re.sub(r"\d", "9", text)

def leaks(splits: dict) -> list[str]:
    "Every way test_unseen overlaps the other splits; empty when it is disjoint."
    unseen, others = splits["test_unseen"], [r for s in SPLITS if s != "test_unseen" for r in splits[s]]
    out = []
    shared = lambda key, rows: {key(r) for r in unseen} & {key(r) for r in rows}
    out += [f"format family {t}/{f} of test_unseen occurs in training splits" for t, f in sorted(shared(lambda r: (r["task"], r["format"]), others))]
    out += [f"wording {t}/{w} of test_unseen occurs in training splits" for t, w in sorted(shared(lambda r: (r["task"], r["wording"]), others))]
    out += [f"instruction {i!r} of test_unseen occurs in training splits" for i in sorted(shared(lambda r: r["instruction"], others))]
    checked = [r for r in others if r["task"] in ("date", "units")]
    out += [f"input shape {s!r} of test_unseen occurs in training splits"
            for s in sorted({shape(r["input"]) for r in unseen if r["task"] in ("date", "units")} & {shape(r["input"]) for r in checked})]
    where = {}
    for s in SPLITS:
        for r in splits[s]: where.setdefault(norm(r["input"]), []).append(s)
    out += [f"input {k!r} occurs {len(v)} times ({', '.join(v)})" for k, v in where.items() if len(v) > 1]
    return out

def seen_gaps(splits: dict) -> list[str]:
    "Families and wordings of validation and test_seen that train lacks (test_seen must be seen in training)."
    train = {(r["task"], k, r[k]) for r in splits["train"] for k in ("format", "wording")}
    return sorted({f"{s}: {k} {r['task']}/{r[k]} is not in train" for s in ("validation", "test_seen") for r in splits[s]
                   for k in ("format", "wording") if (r["task"], k, r[k]) not in train})

RULES = json.loads((ROOT / "data" / "cleaning" / "task_rules.json").read_text())

def answer_problem(row: dict) -> str | None:
    "Why `row`'s output does not pass its task's checker (data/cleaning/task_rules.json, and stricter), or None."
    task, out, rule = row["task"], row["output"], RULES.get(row["task"])
    if rule is None: return f"unknown task {task!r}"
    if "regex" in rule and not re.fullmatch(rule["regex"], out): return f"{out!r} does not match {rule['regex']}"
    if "one_of" in rule and out not in rule["one_of"]: return f"{out!r} is not one of {rule['one_of']}"
    if task == "date":
        try: d = datetime.date.fromisoformat(out)
        except ValueError: return f"{out!r} is not a calendar date"
        if str(d.year) not in row["input"]: return f"the year of {out!r} is not in the input"
    if task == "units":
        number, unit = out.split(" ")
        if number != format(Decimal(number).normalize(), "f") or Decimal(number) <= 0: return f"{number!r} is not a canonical positive number"
        if not re.search(rf"\b{re.escape(unit)}\b", row["input"]): return f"the unit {unit!r} is not asked for in the input"
    if task == "extract":
        try: obj = json.loads(out)
        except ValueError: return f"{out!r} is not JSON"
        if list(obj) != rule["json_keys"]: return f"keys {list(obj)} are not {rule['json_keys']}"
        types = dict(name=str, order_id=int, items=int, city=str)
        if any(type(obj[k]) is not t for k, t in types.items()): return f"{out!r} has a value of the wrong type"
        if out != json.dumps(obj, ensure_ascii=False): return f"{out!r} is not compact JSON"
        if any(str(obj[k]) not in row["input"] for k in ("name", "order_id", "city")): return f"a value of {out!r} is not in the input"
    return None

def answer_problems(splits: dict) -> list[str]:
    return [f"{s}:{i}: {p}" for s in SPLITS for i, r in enumerate(splits[s], 1) for p in [answer_problem(r)] if p]

def count_problems(splits: dict) -> list[str]:
    out = []
    for s in SPLITS:
        got = {t: sum(r["task"] == t for r in splits[s]) for t in COUNTS[s]}
        if got != COUNTS[s] or len(splits[s]) != sum(COUNTS[s].values()): out.append(f"{s}: {got}, documented {COUNTS[s]}")
    return out

# ---- the tests

def test_generator_is_current_and_deterministic(tmp_path):
    "The committed files are what make_instruct.py writes, the same under any hash seed; another seed gives other rows."
    check_generator("data/instruct/make_instruct.py", tmp_path, [f"{s}.jsonl" for s in SPLITS], "train.jsonl")

def test_rows_have_the_fields_in_order():
    bad = [f"{s}:{i}" for s, rows in load().items() for i, r in enumerate(rows, 1)
           if list(r) != FIELDS or not all(isinstance(r[k], str) and r[k].strip() for k in FIELDS)]
    assert not bad, bad[:5]

def test_unseen_is_disjoint_from_training():
    problems = leaks(load())
    assert not problems, "\n".join(problems[:20])

def test_seen_test_is_seen_in_training():
    gaps = seen_gaps(load())
    assert not gaps, gaps[:10]

def test_documented_counts():
    problems = count_problems(load())
    assert not problems, problems

def test_answers_pass_the_task_checker():
    problems = answer_problems(load())
    assert not problems, problems[:10]

def test_no_input_repeats_the_course_task_set():
    course = {norm(json.loads(l)["input"]) for s in ("train", "validation", "test")
              for l in (ROOT / "data" / "tasks" / f"{s}.jsonl").read_text(encoding="utf-8").splitlines()}
    repeated = [r["input"] for rows in load().values() for r in rows if norm(r["input"]) in course]
    assert not repeated, repeated[:5]

def test_the_checks_catch_leaks(tmp_path):
    "Each kind of leak, injected into a copy of the files, is reported; the real files stay as they are."
    def tampered(change) -> dict:
        shutil.rmtree(tmp_path / "copy", ignore_errors=True); shutil.copytree(DATA, tmp_path / "copy")
        splits = load(tmp_path / "copy")
        change(splits)
        for s, rows in splits.items():
            (tmp_path / "copy" / f"{s}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        return load(tmp_path / "copy")
    unseen_date = next(r for r in load()["test_unseen"] if r["task"] == "date")
    def moved(sp): sp["train"].append(sp["test_unseen"][0])                                      # a whole unseen row in train
    def family(sp): sp["train"][0] = {**sp["train"][0], "format": unseen_date["format"]}        # an unseen family's tag
    def wording(sp): sp["validation"][0] = {**sp["validation"][0], "instruction": unseen_date["instruction"]}   # its sentence, with a seen tag
    def form(sp): sp["train"][0] = {**sp["train"][0], "input": "JULY 4 1999"}                    # its shape (upper_month_d_y), with a seen tag
    def twice(sp): sp["test_seen"][0] = {**sp["test_seen"][0], "input": sp["train"][5]["input"].upper()}   # one input in two splits
    def extra(sp): sp["train_extra"][0] = {**sp["train_extra"][0], "input": "JULY 4 1999"}     # the added families are checked too
    expect = {moved: ("format family", "wording", "instruction", "input shape", "occurs 2 times"), family: ("format family",),
              wording: ("instruction",), form: ("input shape",), twice: ("occurs 2 times",), extra: ("input shape",)}
    for change, kinds in expect.items():
        found = "\n".join(leaks(tampered(change)))
        assert all(k in found for k in kinds), (change.__name__, kinds, found)
    assert count_problems(tampered(moved)), "a row added to train changes the counts"
    assert answer_problems(tampered(lambda sp: sp["train"][0].update(output="20-05-2009"))), "a date that is not ISO is caught"
    assert seen_gaps(tampered(lambda sp: sp["test_seen"][0].update(wording="date_w99"))), "a test_seen wording that train lacks is caught"
    assert not leaks(load()), "the real files are untouched"

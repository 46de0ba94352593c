"The two fresh tasks of issue 16 (data/fresh), checked from their files: the generator is current and deterministic; test_unseen's instruction wordings never occur in training (nor do near-copies of them); test inputs and answers never occur in training; test_unseen re-asks test_seen's rows; every answer is right by a parser written here, not the generator's. A last test injects leaks into a copy and checks that each one is caught."
import json, re, shutil
from conftest import ROOT, check_generator

DATA = ROOT / "data" / "fresh"
TASKS = ("clock24", "spelled_number")
SPLITS = ("train", "validation", "test_seen", "test_unseen")
TRAINING = ("train", "validation")          # what a run trains or early-stops on
COUNTS = {"train": 300, "validation": 40, "test_seen": 100, "test_unseen": 100}   # per task, as data/fresh/README.md documents them
FILES = [f"{t}_{s}.jsonl" for t in TASKS for s in SPLITS]
NEAR = 0.6   # word-set Jaccard at or above which two instructions count as the same wording

# ---- helpers: each takes a folder of split files, so the leak test can run them on a tampered copy

def load(folder=DATA) -> dict:
    "{(task, split): rows} read from `folder`, each row with `instruction`, `input`, `output` split out of its messages."
    out = {}
    for t in TASKS:
        for s in SPLITS:
            rows = [json.loads(l) for l in (folder / f"{t}_{s}.jsonl").read_text(encoding="utf-8").splitlines()]
            for r in rows:
                user, answer = r["messages"][0]["content"], r["messages"][-1]["content"]
                r["instruction"], _, r["input"] = user.partition("\n\n")
                r["output"] = answer
            out[t, s] = rows
    return out

def norm(text: str) -> str:
    "Lowercase, punctuation dropped, whitespace collapsed: two wordings that differ only there are one wording."
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())

def jaccard(a: str, b: str) -> float:
    a, b = set(norm(a).split()), set(norm(b).split())
    return len(a & b) / len(a | b)

def leaks(splits: dict) -> list[str]:
    "Every way test_unseen or the test inputs reach training; empty when they do not."
    train_rows = [r for (t, s), rows in splits.items() if s in TRAINING + ("test_seen",) for r in rows]   # rows asked with seen wordings
    trained = [r for (t, s), rows in splits.items() if s in TRAINING for r in rows]
    unseen = [r for (t, s), rows in splits.items() if s == "test_unseen" for r in rows]
    out = []
    ids = {r["wording"] for r in unseen} & {r["wording"] for r in train_rows}
    out += [f"wording id {w} of test_unseen occurs in a seen split" for w in sorted(ids)]
    texts = {norm(r["instruction"]) for r in unseen}
    out += [f"instruction {i!r} of test_unseen occurs in a seen split" for i in sorted(texts & {norm(r["instruction"]) for r in train_rows})]
    users = {norm(r["messages"][0]["content"]) for r in train_rows}
    out += [f"instruction {i!r} of test_unseen is inside a seen user message" for i in sorted(texts) if any(i in u for u in users)]
    seen_texts = sorted({r["instruction"] for r in train_rows})
    out += [f"instruction {u!r} of test_unseen is a near-copy ({jaccard(u, s):.2f}) of seen {s!r}"
            for u in sorted({r["instruction"] for r in unseen}) for s in seen_texts if NEAR <= jaccard(u, s) and norm(u) != norm(s)]
    for t in TASKS:
        test = splits[t, "test_seen"] + splits[t, "test_unseen"]
        mine = [r for r in trained if r["task"] == t]
        out += [f"{t}: test input {i!r} occurs in train/validation" for i in sorted({norm(r["input"]) for r in test} & {norm(r["input"]) for r in mine})]
        out += [f"{t}: test answer {a!r} occurs in train/validation" for a in sorted({r["output"] for r in test} & {r["output"] for r in mine})]
        twice = {a for a in {r["output"] for r in splits[t, "train"]} if a in {r["output"] for r in splits[t, "validation"]}}
        out += [f"{t}: answer {a!r} in both train and validation" for a in sorted(twice)]
    return out

def pairing_problems(splits: dict) -> list[str]:
    "test_unseen must be test_seen's rows, in order, asked with another wording."
    out = []
    for t in TASKS:
        seen, unseen = splits[t, "test_seen"], splits[t, "test_unseen"]
        if len(seen) != len(unseen): out.append(f"{t}: {len(seen)} test_seen rows, {len(unseen)} test_unseen rows")
        out += [f"{t}: test_unseen row {i} is not test_seen row {i} re-asked" for i, (a, b) in enumerate(zip(seen, unseen), 1)
                if (a["input"], a["output"], a["format"]) != (b["input"], b["output"], b["format"]) or norm(a["instruction"]) == norm(b["instruction"])]
    return out

def seen_gaps(splits: dict) -> list[str]:
    "Wordings of validation and test_seen that train lacks: a seen wording must be trained on."
    out = []
    for t in TASKS:
        train = {r["wording"] for r in splits[t, "train"]}
        out += sorted({f"{t}/{s}: wording {r['wording']} is not in train" for s in ("validation", "test_seen") for r in splits[t, s] if r["wording"] not in train})
    return out

def count_problems(splits: dict) -> list[str]:
    return [f"{t}/{s}: {len(splits[t, s])} rows, documented {COUNTS[s]}" for t in TASKS for s in SPLITS if len(splits[t, s]) != COUNTS[s]]

# ---- the independent checkers: parse the input, compute the answer, compare

TIME_RE = re.compile(r"\b(\d{1,2})[:.](\d{2})\s*([ap])\.?m\b\.?", re.I)
SMALL = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                                    "fifteen sixteen seventeen eighteen nineteen".split())}
DECADES = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
NUMBER_WORD = set(SMALL) | set(DECADES) | {"hundred"}

def clock24_answer(text: str) -> str:
    "The 24-hour HH:MM of the one 12-hour time in `text`."
    found = TIME_RE.findall(text)
    assert len(found) == 1, f"{len(found)} times in {text!r}"
    h, m, half = int(found[0][0]), int(found[0][1]), found[0][2].lower()
    assert 1 <= h <= 12 and m < 60, text
    return f"{h % 12 + (12 if half == 'p' else 0):02d}:{m:02d}"

def spelled_answer(text: str) -> str:
    "The digits of the one number written in English words in `text` (words may be hyphenated, any case, with 'and' after 'hundred')."
    words = re.findall(r"[a-z]+", text.lower())
    flags = [w in NUMBER_WORD or (w == "and" and 0 < i < len(words) - 1 and words[i - 1] == "hundred" and words[i + 1] in NUMBER_WORD)
             for i, w in enumerate(words)]
    runs = "".join("x" if f else "." for f in flags)
    assert len(re.findall(r"x+", runs)) == 1, f"not one number in {text!r}"
    value = 0
    for w, f in zip(words, flags):
        if not f or w == "and": continue
        if w == "hundred":
            assert 1 <= value <= 9, text
            value *= 100
        else: value += SMALL.get(w, DECADES.get(w, 0))
    assert 1 <= value <= 999, text
    return str(value)

CHECKERS = {"clock24": (clock24_answer, r"(?:[01]\d|2[0-3]):[0-5]\d"), "spelled_number": (spelled_answer, r"[1-9]\d{0,2}")}

def answer_problems(splits: dict) -> list[str]:
    out = []
    for (t, s), rows in splits.items():
        answer, form = CHECKERS[t]
        for i, r in enumerate(rows, 1):
            if not re.fullmatch(form, r["output"]): out.append(f"{t}_{s}:{i}: {r['output']!r} is not of the form {form}")
            elif answer(r["input"]) != r["output"]: out.append(f"{t}_{s}:{i}: {r['input']!r} -> {r['output']!r}, the checker says {answer(r['input'])!r}")
    return out

# ---- the tests

def test_generator_is_current_and_deterministic(tmp_path):
    "The committed files are what make_fresh.py writes, the same under any hash seed; another seed gives other rows."
    check_generator("data/fresh/make_fresh.py", tmp_path, FILES, "clock24_train.jsonl")

def test_rows_are_chat_rows_the_library_reads():
    "Each file is OpenAI-style messages (user, then assistant) that ftcourse reads strictly, into instruction/input/output with the task kept."
    from ftcourse.data import read_rows, read_records, row_shape
    for name in FILES:
        records = read_records(DATA / name)
        assert {row_shape(r) for r in records} == {"messages"}, name
        assert all([m["role"] for m in r["messages"]] == ["user", "assistant"] and list(r) == ["messages", "task", "format", "wording"] for r in records), name
        rows = read_rows(DATA / name)
        task = name.rsplit("_", 2)[0] if "test_" in name else name.rsplit("_", 1)[0]
        assert all(r["instruction"] and r["input"] and r["output"] and r["task"] == task for r in rows), name

def test_unseen_wordings_never_occur_in_training():
    problems = leaks(load())
    assert not problems, "\n".join(problems[:20])

def test_wordings_are_declared_disjoint():
    "In the generator's own declaration: per task, seen and unseen wordings are different sentences, not near-copies, and 10 seen and 6 unseen."
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_fresh", DATA / "make_fresh.py")
    mf = importlib.util.module_from_spec(spec); spec.loader.exec_module(mf)
    every = [(t, side, text) for t in mf.TASKS for side, text in mf.WORDINGS[t]]
    assert len({norm(text) for _, _, text in every}) == len(every), "two wordings are the same sentence"
    for t in TASKS:
        sides = [side for task, side, _ in every if task == t]
        assert (sides.count("seen"), sides.count("unseen")) == (10, 6), t
    close = [(u, s, round(jaccard(u, s), 2)) for _, su, u in every if su == "unseen" for _, ss, s in every if ss == "seen" and jaccard(u, s) >= NEAR]
    assert not close, close

def test_test_unseen_pairs_test_seen():
    problems = pairing_problems(load())
    assert not problems, problems[:10]

def test_seen_test_is_seen_in_training():
    gaps = seen_gaps(load())
    assert not gaps, gaps[:10]

def test_documented_counts():
    problems = count_problems(load())
    assert not problems, problems

def test_answers_are_right_by_an_independent_checker():
    problems = answer_problems(load())
    assert not problems, problems[:10]
    assert clock24_answer("Set an alarm for 12:05 a.m.") == "00:05" and clock24_answer("12.30 PM") == "12:30"
    assert spelled_answer("Nine Hundred And Ninety-Nine") == "999" and spelled_answer("We counted seventy two birds.") == "72"

def test_kept_out_of_the_course_data():
    "The fresh tasks are not course tasks, and none of their inputs is an input of data/tasks or data/instruct."
    course = [json.loads(l) for d in ("tasks", "instruct") for f in sorted((ROOT / "data" / d).glob("*.jsonl"))
              for l in f.read_text(encoding="utf-8").splitlines()]
    rules = json.loads((ROOT / "data" / "cleaning" / "task_rules.json").read_text())
    assert not set(TASKS) & ({r["task"] for r in course} | set(rules))
    inputs = {norm(r["input"]) for r in course}
    assert not [r["input"] for rows in load().values() for r in rows if norm(r["input"]) in inputs]

def test_the_checks_catch_leaks(tmp_path):
    "Each kind of leak, injected into a copy of the files, is reported; the real files stay as they are."
    def tampered(change) -> dict:
        shutil.rmtree(tmp_path / "copy", ignore_errors=True); shutil.copytree(DATA, tmp_path / "copy")
        splits = load(tmp_path / "copy")
        change(splits)
        for (t, s), rows in splits.items():
            keep = [{k: v for k, v in r.items() if k not in ("instruction", "input", "output")} for r in rows]
            (tmp_path / "copy" / f"{t}_{s}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in keep), encoding="utf-8")
        return load(tmp_path / "copy")
    def ask(row, instruction): return {**row, "messages": [{"role": "user", "content": f"{instruction}\n\n{row['input']}"}, row["messages"][1]]}
    unseen = load()["clock24", "test_unseen"][0]
    def moved(sp): sp["clock24", "train"].append(sp["clock24", "test_unseen"][0])                            # a whole unseen row in train
    def text(sp): sp["clock24", "validation"][0] = ask(sp["clock24", "validation"][0], unseen["instruction"])  # its sentence, with a seen tag
    def cased(sp): sp["clock24", "train"][3] = ask(sp["clock24", "train"][3], unseen["instruction"].upper().rstrip("?") + " !")  # same words, other case and punctuation
    def near(sp): sp["clock24", "train"][4] = ask(sp["clock24", "train"][4], "Kindly " + unseen["instruction"].split(" ", 1)[1])   # its first word changed
    def inside(sp): sp["clock24", "train"][5] = ask(sp["clock24", "train"][5], "Hi. " + unseen["instruction"] + " " + sp["clock24", "train"][5]["instruction"])  # glued to a seen one
    def crossed(sp): sp["spelled_number", "train"][0] = ask(sp["spelled_number", "train"][0], unseen["instruction"])   # in the other task's training
    def answer(sp): sp["spelled_number", "train"][1] = {**sp["spelled_number", "test_seen"][2]}               # a test row (input and answer) in train
    expect = {moved: ("wording id", "occurs in a seen split", "test input", "test answer"), text: ("occurs in a seen split",),
              cased: ("occurs in a seen split",), near: ("near-copy",), inside: ("inside a seen user message",),
              crossed: ("occurs in a seen split",), answer: ("test input", "test answer")}
    for change, kinds in expect.items():
        found = "\n".join(leaks(tampered(change)))
        assert all(k in found for k in kinds), (change.__name__, kinds, found)
    assert count_problems(tampered(moved)), "a row added to train changes the counts"
    def wrong(sp):   # am and pm swapped: a plausible wrong answer, of the right form
        r = sp["clock24", "train"][0]; h, m = r["output"].split(":")
        sp["clock24", "train"][0] = {**r, "messages": [r["messages"][0], {"role": "assistant", "content": f"{(int(h) + 12) % 24:02d}:{m}"}]}
    assert answer_problems(tampered(wrong)), "a wrong answer is caught"
    assert pairing_problems(tampered(lambda sp: sp["clock24", "test_unseen"].reverse())), "a test_unseen out of step with test_seen is caught"
    assert seen_gaps(tampered(lambda sp: sp["clock24", "test_seen"][0].update(wording="clock24_w99"))), "a test_seen wording that train lacks is caught"
    assert not leaks(load()), "the real files are untouched"

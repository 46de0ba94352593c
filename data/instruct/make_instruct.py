#!/usr/bin/env python3
"""Generate the instruction-tuning set of chapter 52: the course's four tasks in many surface forms, with a test split whose forms never occur in training.

Every row is one of the course's tasks (``date``, ``units``, ``extract``, ``sentiment``, see
``make_datasets.py``) and carries two tags:

* ``format``  -- the *input format family* it was written in: for dates, how the date is written
  ("the tenth of May 2009", "20.05.2009", "JANUARY 13 2015", ...); for the other tasks, the
  sentence template around the quantity, the order or the review;
* ``wording`` -- the *instruction template* it is asked with (a fixed sentence, no slots).

The split rule is decided before any row is generated: every format family and every wording
template is declared either ``seen`` or ``unseen`` below. ``train``, ``validation`` and
``test_seen`` are generated from seen families and seen wordings only; ``test_unseen`` from unseen
families and unseen wordings only. So an unseen family or wording cannot occur in training, by
construction. On top of that every ``input`` is unique across all four files *and* the course's own
task set (``make_datasets.py``, seed 0), compared lowercased with collapsed whitespace: no row here
repeats a row of either data set.

A fifth split, ``train_extra``, holds 280 date rows in seven more seen families (``EXTRA_DATE_FAMILIES``) that
chapter 52 added after its first run named the unseen families still missed; it is generated after the other
four, which it leaves unchanged, and the same uniqueness rule covers it.

The seen families and wordings include the course's own (its nine date formats, its unit, order and
review templates, its instruction paraphrases); the rest were written for this project, like every
text of the course. Nothing comes from a public dataset. Only the Python standard library is used;
the same seed gives byte-identical files, whatever ``PYTHONHASHSEED`` is.

Output, beside this script by default: ``train.jsonl``, ``validation.jsonl``, ``test_seen.jsonl``, ``train_extra.jsonl``,
``test_unseen.jsonl``; one JSON object per line with the keys ``instruction``, ``input``, ``output``,
``task``, ``format``, ``wording`` (in that order), UTF-8, ``\\n`` line endings; rows ordered by task
(date, units, extract, sentiment), then by generation order.

Usage::

    python3 data/instruct/make_instruct.py            # write data/instruct/*.jsonl (seed 0)
    python3 data/instruct/make_instruct.py --check    # exit 1 and name each file that differs from a fresh build
    python3 data/instruct/make_instruct.py --out DIR --seed 1
    python3 data/instruct/make_instruct.py --list     # print every family and wording with its side and an example
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import make_datasets as md  # noqa: E402  (the course's tasks: word lists, samplers, instructions)

DEFAULT_OUT = Path(__file__).resolve().parent
TASKS = md.TASKS
SPLITS = ("train", "validation", "test_seen", "test_unseen", "train_extra")
SIDE = {"train": "seen", "validation": "seen", "test_seen": "seen", "test_unseen": "unseen", "train_extra": "seen"}
# rows per (split, task); test_unseen's counts are a whole number of rows per unseen family
COUNTS = {
    "train":       {"date": 800, "units": 300, "extract": 300, "sentiment": 300},
    "validation":  {"date": 60, "units": 30, "extract": 30, "sentiment": 30},
    "test_seen":   {"date": 100, "units": 40, "extract": 40, "sentiment": 40},
    "test_unseen": {"date": 144, "units": 48, "extract": 48, "sentiment": 48},
    "train_extra": {"date": 280, "units": 0, "extract": 0, "sentiment": 0},   # 40 rows per EXTRA_DATE_FAMILIES family
}
FIELDS = ("instruction", "input", "output", "task", "format", "wording")
MAX_TRIES = 10_000

# --------------------------------------------------------------------------
# Date format families: id -> (side, renderer). A renderer writes a datetime.date.
# --------------------------------------------------------------------------

ORDINAL_WORDS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second", "twenty-third",
    "twenty-fourth", "twenty-fifth", "twenty-sixth", "twenty-seventh", "twenty-eighth",
    "twenty-ninth", "thirtieth", "thirty-first",
)
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
WEEKDAYS_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Sentences around a date: frames A are seen in training, frames B only in test_unseen.
FRAMES_SEEN = (
    "The parcel arrived on {date}.",
    "Our meeting was moved to {date}.",
    "She signed the lease on {date}.",
    "The report is due on {date}.",
)
FRAMES_UNSEEN = (
    "According to the invoice, payment was received on {date}.",
    "Hmm, I think the concert tickets say {date}, right?",
    "Reminder for the team: the office stays closed from {date} onwards.",
)
# Sentences of train_extra: other frames again, none of FRAMES_UNSEEN, around any of the course's nine formats.
FRAMES_EXTRA = (
    "Can you remind me what is planned for {date}?",
    "Per the contract signed {date}, the fee is due a month later.",
    "Note to self: dentist on {date} at 3 pm.",
    "Checked in {date}, room 12, two nights.",
    "The warranty started {date} and lasts one year.",
)
# numeric day-first families could be read month-first when the day is 12 or less: they use days 13-31
NEEDS_BIG_DAY = ("d_dot_m_y",)


def _m(d): return md.MONTHS[d.month - 1]
def _mon(d): return md.MONTHS_SHORT[d.month - 1]
def _mon_dot(d): return _mon(d) if _mon(d) == "May" else _mon(d) + "."
def _wd(d): return md.WEEKDAYS[d.weekday()]
def _oword(d): return ORDINAL_WORDS[d.day - 1]


DATE_FAMILIES = {
    # the course's nine formats (make_datasets.render_date): seen
    **{fmt: ("seen", (lambda f: lambda d: md.render_date(d, f))(fmt)) for fmt in md.DATE_FORMATS},
    # new seen formats: case, ordinal words, numbers with dots, Roman months, labels, times, sentences
    "upper_d_month_y":    ("seen", lambda d: f"{d.day} {_m(d).upper()} {d.year}"),
    "lower_month_d_y":    ("seen", lambda d: f"{_m(d).lower()} {d.day} {d.year}"),
    "month_dword_y":      ("seen", lambda d: f"{_m(d)} {_oword(d)}, {d.year}"),
    "month_the_dword_y":  ("seen", lambda d: f"{_m(d)} the {_oword(d)}, {d.year}"),
    "d_dot_m_y":          ("seen", lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}"),
    "mon_dot_d_y":        ("seen", lambda d: f"{_mon_dot(d)} {d.day}, {d.year}"),
    "ymd_compact":        ("seen", lambda d: f"{d.year}{d.month:02d}{d.day:02d}"),
    "iso_with_time":      ("seen", lambda d: f"{d.isoformat()} {(d.day * 7) % 24:02d}:{(d.month * 13) % 60:02d}"),
    "d_roman_y":          ("seen", lambda d: f"{d.day}.{ROMAN_MONTHS[d.month - 1]}.{d.year}"),
    "dmy_slash_labeled":  ("seen", lambda d: f"{d.day:02d}/{d.month:02d}/{d.year} (DD/MM/YYYY)"),
    "mdy_slash_labeled":  ("seen", lambda d: f"{d.month:02d}/{d.day:02d}/{d.year} (MM/DD/YYYY)"),
    "month_d_in_the_year": ("seen", lambda d: f"{_m(d)} {d.day} in the year {d.year}"),
    "wd_short_d_mon_y":   ("seen", lambda d: f"{WEEKDAYS_SHORT[d.weekday()]}, {d.day} {_mon(d)} {d.year}"),
    "sentence_seen":      ("seen", None),   # a FRAMES_SEEN sentence around month_d_y; see render_family
    # unseen formats: only in test_unseen
    "the_dword_of_month_y": ("unseen", lambda d: f"the {_oword(d)} of {_m(d)} {d.year}"),
    "upper_month_d_y":      ("unseen", lambda d: f"{_m(d).upper()} {d.day} {d.year}"),
    "d_dot_month_y":        ("unseen", lambda d: f"{d.day}. {_m(d)} {d.year}"),
    "weekday_the_dth_of_month_y": ("unseen", lambda d: f"{_wd(d)} the {md.ordinal(d.day)} of {_m(d)} {d.year}"),
    "y_month_d":            ("unseen", lambda d: f"{d.year} {_m(d)} {d.day}"),
    "y_dash_mon_d":         ("unseen", lambda d: f"{d.year}-{_mon(d)}-{d.day:02d}"),
    "field_labels":         ("unseen", lambda d: f"day {d.day}, month {d.month}, year {d.year}"),
    "dth_day_of_month_year": ("unseen", lambda d: f"the {md.ordinal(d.day)} day of {_m(d)} in the year {d.year}"),
    "lower_dth_mon_y":      ("unseen", lambda d: f"{md.ordinal(d.day)} {_mon(d).lower()} {d.year}"),
    "month_dash_d_y":       ("unseen", lambda d: f"{_m(d)}-{d.day}-{d.year}"),
    "y_dot_m_d":            ("unseen", lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}"),
    "sentence_unseen":      ("unseen", None),   # a FRAMES_UNSEEN sentence around d_mon_y
}

# The families of `train_extra`, added after chapter 52's first run named the unseen families its best model
# still missed (upper-case month names before the day, ordinal words, field labels, dates inside sentences).
# Each shares a *piece* with a missed family, never the family itself: another order, another case, other
# labels, other frames (tests/test_instruct_data.py checks that no input shape equals an unseen one). They
# are seen families, but only train_extra uses them, so the four original files are unchanged by them.
EXTRA_DATE_FAMILIES = {
    "upper_mon_d_y":         ("seen", lambda d: f"{_mon(d).upper()} {d.day}, {d.year}"),
    "upper_wd_month_d_y":    ("seen", lambda d: f"{_wd(d).upper()}, {_m(d).upper()} {d.day}, {d.year}"),
    "dword_month_y":         ("seen", lambda d: f"{_oword(d)} {_m(d)} {d.year}"),
    "upper_month_dword_y":   ("seen", lambda d: f"{_m(d).upper()} {_oword(d).upper()}, {d.year}"),
    "labels_y_m_d":          ("seen", lambda d: f"year {d.year}, month {d.month}, day {d.day}"),
    "labels_short_y_m_d":    ("seen", lambda d: f"Y {d.year} / M {d.month:02d} / D {d.day:02d}"),
    "sentence_extra":        ("seen", None),   # a FRAMES_EXTRA sentence around one of the course's nine formats
}

# --------------------------------------------------------------------------
# Input templates of the other tasks: id -> (side, template)
# --------------------------------------------------------------------------

UNIT_FAMILIES = {
    **{f"units_{i:02d}": ("seen", t) for i, t in enumerate(md.UNIT_TEMPLATES, 1)},   # the course's six
    "units_07": ("seen", "{v} {a} -> {b}"),
    "units_08": ("seen", "Please convert {v} {a} into {b}."),
    "units_09": ("seen", "{v} {a} is how many {b}?"),
    "units_10": ("unseen", "Turn {v} {a} into {b}, please."),
    "units_11": ("unseen", "I measured {v} {a}. What is that in {b}?"),
    "units_12": ("unseen", "Quantity: {v} {a}; target unit: {b}"),
}
ORDER_FAMILIES = {
    **{f"extract_{i:02d}": ("seen", t) for i, t in enumerate(md.ORDER_TEMPLATES, 1)},   # the course's eight
    "extract_09": ("seen", "New order {oid}: {items} for {name}, shipping to {city}."),
    "extract_10": ("seen", "{name} in {city} bought {items} (order {oid})."),
    "extract_11": ("unseen", "Hi, this is {name}. My order {oid} has {items} and should go to {city}."),
    "extract_12": ("unseen", "Order ref {oid} / customer: {name} / {items} / destination: {city}"),
    "extract_13": ("unseen", "Packing slip for order {oid}: {items}, recipient {name}, {city}."),
}
REVIEW_FAMILIES = {
    **{f"sentiment_{i:02d}": ("seen", t) for i, t in enumerate(md.REVIEW_TEMPLATES, 1)},   # the course's six
    "sentiment_07": ("seen", "Review of the {product}: it {p1}."),
    "sentiment_08": ("seen", "Bought a {product}. It {p1}, and it {p2}."),
    "sentiment_09": ("unseen", "Two weeks with the {product}: it {p1}. Also, it {p2}."),
    "sentiment_10": ("unseen", "Quick note on my {product}: it {p1} and {p2}."),
    "sentiment_11": ("unseen", "So, the {product}. It {p1}."),
}

# --------------------------------------------------------------------------
# Instruction wordings: task -> [(side, text)]; ids are <task>_w<nn> in this order
# --------------------------------------------------------------------------

WORDINGS = {
    "date": [
        *[("seen", t) for t in md.INSTRUCTIONS["date"]],   # the course's four
        ("seen", "What is this date in ISO 8601 (YYYY-MM-DD)?"),
        ("seen", "Reformat the date as YYYY-MM-DD and reply with nothing else."),
        ("seen", "Please express the following date in the format YYYY-MM-DD."),
        ("seen", "Output the ISO 8601 form of this date."),
        ("seen", "date -> YYYY-MM-DD"),
        ("seen", "Standardize the date: four-digit year, two-digit month, two-digit day, joined by hyphens."),
        ("unseen", "Could you write this date the ISO way? Just the date, please."),
        ("unseen", "Return the calendar date below in year-month-day order, zero-padded, with hyphens."),
        ("unseen", "I need this date for a database column of type DATE. What do I store?"),
        ("unseen", "Translate the following into an ISO-style date string."),
    ],
    "units": [
        *[("seen", t) for t in md.INSTRUCTIONS["units"]],   # the course's three
        ("seen", "Work out the conversion. Give only the number and the unit."),
        ("seen", "Answer with the converted value and its unit, nothing else."),
        ("seen", "units: convert and reply '<number> <unit>'"),
        ("unseen", "How much is this in the other unit? Write the amount followed by the unit symbol."),
        ("unseen", "Change the measurement to the unit asked for; respond with just value and unit."),
        ("unseen", "Please do this conversion for me (format: number, space, unit)."),
    ],
    "extract": [
        *[("seen", t) for t in md.INSTRUCTIONS["extract"]],   # the course's three
        ("seen", "Return compact JSON with name, order_id, items and city taken from the sentence."),
        ("seen", "Parse the order: output a JSON object whose keys are name, order_id, items, city."),
        ("seen", "extract -> JSON {name, order_id, items, city}"),
        ("unseen", "Fill in this record from the message as one line of JSON: name, order_id, items, city."),
        ("unseen", "Who ordered, which order number, how many items and where to? Reply in JSON (name, order_id, items, city)."),
        ("unseen", "Turn the text into structured data (JSON keys: name, order_id, items, city)."),
    ],
    "sentiment": [
        *[("seen", t) for t in md.INSTRUCTIONS["sentiment"]],   # the course's three
        ("seen", "What is the sentiment of this review? Answer positive, negative or neutral."),
        ("seen", "Sentiment (positive / negative / neutral), one word:"),
        ("seen", "Decide whether the customer is positive, negative or neutral. Reply with that word only."),
        ("unseen", "How does the writer feel about the product: positive, negative or neutral? Just the word."),
        ("unseen", "Tag this customer feedback with one of: positive, negative, neutral."),
        ("unseen", "Would you call this review positive, negative, or neutral? Single-word answer."),
    ],
}


def wording_ids(task: str) -> list[tuple[str, str, str]]:
    "[(id, side, text)] of a task's wordings, ids <task>_w01, <task>_w02, ... in declaration order."
    return [(f"{task}_w{i:02d}", side, text) for i, (side, text) in enumerate(WORDINGS[task], 1)]


def families(task: str, split: str = "train") -> dict:
    "The format families a split of a task draws from: id -> (side, renderer or template); train_extra has its own."
    if split == "train_extra": return EXTRA_DATE_FAMILIES if task == "date" else {}
    return {"date": DATE_FAMILIES, "units": UNIT_FAMILIES, "extract": ORDER_FAMILIES, "sentiment": REVIEW_FAMILIES}[task]


def on_side(items, side: str) -> list:
    "The ids of `items` ({id: (side, ...)} or [(id, side, ...)]) declared on `side`, in declaration order."
    pairs = items.items() if isinstance(items, dict) else [(i[0], i[1:]) for i in items]
    return [k for k, v in pairs if v[0] == side]

# --------------------------------------------------------------------------
# Row generators: (rng, family id) -> (input, output)
# --------------------------------------------------------------------------

def render_family(rng: random.Random, fam: str, d: datetime.date) -> str:
    "Write date `d` in date family `fam` (sentence families pick a frame with `rng`)."
    if fam == "sentence_seen": return rng.choice(FRAMES_SEEN).format(date=md.render_date(d, "month_d_y"))
    if fam == "sentence_unseen": return rng.choice(FRAMES_UNSEEN).format(date=md.render_date(d, "d_mon_y"))
    if fam == "sentence_extra": return rng.choice(FRAMES_EXTRA).format(date=md.render_date(d, rng.choice(md.DATE_FORMATS)))
    return {**DATE_FAMILIES, **EXTRA_DATE_FAMILIES}[fam][1](d)


def gen_date(rng: random.Random, fam: str) -> tuple[str, str]:
    "A date written in family `fam` -> its ISO 8601 form."
    d = md.sample_date(rng)
    while fam in NEEDS_BIG_DAY and d.day < 13: d = md.sample_date(rng)
    return render_family(rng, fam, d), d.isoformat()


def gen_units(rng: random.Random, fam: str) -> tuple[str, str]:
    "An exact unit conversion asked in template `fam` -> '<number> <unit>'."
    src, dst, mul, div = rng.choice(md.CONVERSIONS)
    for _ in range(MAX_TRIES):
        value = md.sample_quantity(rng)
        result = md.exact_conversion(value, mul, div)
        if result is not None: break
    else: raise RuntimeError(f"no exact value found for {src}->{dst}")
    text = UNIT_FAMILIES[fam][1].format(v=md.format_number(value), a=src, b=dst)
    return text, f"{md.format_number(result)} {dst}"


def gen_extract(rng: random.Random, fam: str) -> tuple[str, str]:
    "An order sentence in template `fam` -> compact JSON (name, order_id, items, city)."
    return md.gen_extract(rng, ORDER_FAMILIES[fam][1])


def gen_sentiment(rng: random.Random, fam: str, label: str) -> tuple[str, str]:
    "A review in template `fam` with the sentiment `label` -> the label (correct by construction)."
    pool = {"positive": md.POSITIVE_PHRASES, "negative": md.NEGATIVE_PHRASES, "neutral": md.NEUTRAL_PHRASES}[label]
    p1, p2 = rng.sample(pool, 2)
    if label == "neutral": p1, p2 = md.fill_slots(rng, [p1, p2])
    text = REVIEW_FAMILIES[fam][1].format(product=rng.choice(md.PRODUCTS), p1=p1, p2=p2)
    closer = rng.choice(md.REVIEW_CLOSERS[label])
    return (f"{text} {closer}" if closer else text), label

# --------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------

def course_inputs() -> set[str]:
    "The normalized inputs of the course's task set (make_datasets.py, seed 0): reserved, never repeated here."
    return {md.normalize(r["input"]) for rows in md.build_dataset(0).values() for r in rows}


def make_rows(rng: random.Random, task: str, split: str, n: int, seen_inputs: set) -> list[dict]:
    "n rows of `task` for `split`, balanced over the families and wordings of the split's side, each input new to `seen_inputs`."
    side = SIDE[split]
    fams, words = on_side(families(task, split), side), [w for w in wording_ids(task) if w[1] == side]
    fam_plan, word_plan = md.balanced_plan(rng, tuple(fams), n), md.balanced_plan(rng, tuple(words), n)
    labels = md.balanced_plan(rng, md.SENTIMENT_LABELS, n) if task == "sentiment" else [None] * n
    rows = []
    for fam, (wid, _, text), label in zip(fam_plan, word_plan, labels):
        for _ in range(MAX_TRIES):
            if task == "date": inp, out = gen_date(rng, fam)
            elif task == "units": inp, out = gen_units(rng, fam)
            elif task == "extract": inp, out = gen_extract(rng, fam)
            else: inp, out = gen_sentiment(rng, fam, label)
            key = md.normalize(inp)
            if key not in seen_inputs: break
        else: raise RuntimeError(f"no new unique input for {task}/{fam} in {split}")
        seen_inputs.add(key)
        rows.append(dict(instruction=text, input=inp, output=out, task=task, format=fam, wording=wid))
    return rows


def build_instruct(seed: int) -> dict[str, list[dict]]:
    "All four splits: {split: rows ordered by task, then generation order}."
    rng = random.Random(seed)
    seen_inputs = course_inputs()
    out = {s: [] for s in SPLITS}
    for task in TASKS:
        for split in SPLITS[:4]:
            out[split] += make_rows(rng, task, split, COUNTS[split][task], seen_inputs)
    for task in TASKS:   # train_extra last: its draws come after every other split's, which it leaves unchanged
        if COUNTS["train_extra"][task]: out["train_extra"] += make_rows(rng, task, "train_extra", COUNTS["train_extra"][task], seen_inputs)
    return out


def render_jsonl(rows: list[dict]) -> bytes:
    "Rows as UTF-8 JSON Lines, keys in FIELDS order, '\\n' endings."
    return "".join(json.dumps({k: r[k] for k in FIELDS}, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def rendered_files(seed: int, out_dir: Path) -> dict[Path, bytes]:
    "{path: bytes} of every split file."
    return {out_dir / f"{s}.jsonl": render_jsonl(rows) for s, rows in build_instruct(seed).items()}


def catalogue() -> list[tuple[str, str, str, str, str]]:
    "(task, kind, id, side, example) for every family and wording: what --list prints."
    rng, d = random.Random(0), datetime.date(2009, 5, 20)
    out = []
    for task, split in [(t, "train") for t in TASKS] + [("date", "train_extra")]:
        for fam, (side, _) in families(task, split).items():
            ex = {"date": lambda: render_family(rng, fam, d), "units": lambda: gen_units(rng, fam)[0],
                  "extract": lambda: gen_extract(rng, fam)[0], "sentiment": lambda: gen_sentiment(rng, fam, "positive")[0]}[task]()
            out.append((task, "format", fam, side, ex))
        out += [(task, "wording", wid, side, text) for wid, side, text in wording_ids(task)]
    return out


def main(argv: list[str] | None = None) -> int:
    "Entry point: build the splits, then write, check or list them."
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: beside this script)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--check", action="store_true", help="do not write; exit 1 if the files on disk differ from a fresh build")
    p.add_argument("--list", action="store_true", help="print every format family and wording with its side and an example")
    args = p.parse_args(argv)
    if args.list:
        for row in catalogue(): print("\t".join(row))
        return 0
    files = rendered_files(args.seed, args.out)
    if args.check: return md.check_files(files)
    md.write_files(files)
    return 0


if __name__ == "__main__":
    sys.exit(main())

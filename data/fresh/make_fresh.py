#!/usr/bin/env python3
"""Generate two fresh tasks, kept out of the course's data, as OpenAI-style chat rows: a training set and a test whose instruction wordings never occur in training.

The tasks are of kinds the course does not have (it has date normalization, unit conversion, field
extraction and sentiment):

* ``clock24``        -- a 12-hour clock time ("3:45 pm", "03:45 PM", "The tram leaves at 3.45 pm.")
                        -> the 24-hour time ``HH:MM`` ("15:45"); 12 am is 00, 12 pm is 12.
* ``spelled_number`` -- a whole number from 1 to 999 written in English words ("four hundred and
                        seventy-two", "FOUR HUNDRED SEVENTY-TWO", in a sentence) -> its digits ("472").

Both answers are exact (one right string per row) and short, and both can be checked without this
script (the tests parse the input on their own).

Every row is asked with one *instruction wording* (a fixed sentence per task). The wordings of each
task are declared ``seen`` or ``unseen`` below, before any row is generated. ``train``, ``validation``
and ``test_seen`` use seen wordings only; ``test_unseen`` uses unseen wordings only, so an unseen
wording cannot reach training, by construction. ``test_unseen`` is *paired* with ``test_seen``: the same
inputs in the same order, asked with an unseen wording instead of a seen one, so the gap between the
two scores measures the wording alone and not a different draw of inputs. Inputs are written in
several surface forms (``format``), the same forms on every split. Within a task every answer value
occurs in one row only across train, validation and test_seen: no test answer is ever trained on.

Each line is ``{"messages": [user, assistant], "task": ..., "format": ..., "wording": ...}``: the user
message is the instruction, a blank line, then the input (what ``ftcourse.data.read_rows`` splits back
into instruction and input); there is no system message. ``task``, ``format`` and ``wording`` are extra
keys that the library keeps and scores by (``task``); strip them before sending the file to a hosted
fine-tuning API that refuses unknown keys.

Output, beside this script by default: ``<task>_<split>.jsonl`` for both tasks and the four splits
(``train``, ``validation``, ``test_seen``, ``test_unseen``), UTF-8, ``\\n`` line endings, keys in the
order above. Only the Python standard library is used; the same seed gives byte-identical files,
whatever ``PYTHONHASHSEED`` is.

Usage::

    python3 data/fresh/make_fresh.py            # write data/fresh/*.jsonl (seed 0)
    python3 data/fresh/make_fresh.py --check    # exit 1 and name each file that differs from a fresh build
    python3 data/fresh/make_fresh.py --out DIR --seed 1
    python3 data/fresh/make_fresh.py --list     # every wording and format with its side and an example
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent
TASKS = ("clock24", "spelled_number")
SPLITS = ("train", "validation", "test_seen", "test_unseen")
SIDE = {"train": "seen", "validation": "seen", "test_seen": "seen", "test_unseen": "unseen"}
COUNTS = {"train": 300, "validation": 40, "test_seen": 100, "test_unseen": 100}   # rows per task; test_unseen pairs test_seen
MAX_TRIES = 10_000

# --------------------------------------------------------------------------
# Instruction wordings: task -> [(side, text)]; ids are <task>_w<nn> in this order.
# The unseen ones ask in other ways (a scenario, an indirect request, another name for the format).
# --------------------------------------------------------------------------

WORDINGS = {
    "clock24": [
        ("seen", "Convert this time to 24-hour format (HH:MM)."),
        ("seen", "Rewrite the time using the 24-hour clock."),
        ("seen", "Give the 24-hour version of the time below. Reply with HH:MM only."),
        ("seen", "Express the time in 24-hour notation."),
        ("seen", "What is this time on a 24-hour clock?"),
        ("seen", "Change the 12-hour time into 24-hour HH:MM."),
        ("seen", "time -> 24h HH:MM"),
        ("seen", "Normalize the time to HH:MM, hours from 00 to 23."),
        ("seen", "Turn the am/pm time into 24-hour time."),
        ("seen", "Output the time as two-digit hours, a colon and two-digit minutes (24-hour)."),
        ("unseen", "My phone shows times without am or pm. How would it display this one?"),
        ("unseen", "Please state the moment mentioned below the way a railway timetable prints it."),
        ("unseen", "Which reading on a military clock matches this? Keep the colon."),
        ("unseen", "Drop the morning/afternoon marker and count the hours through the whole day instead."),
        ("unseen", "In continental notation, what is that? Just the digits with a colon between them."),
        ("unseen", "If a day ran from 00:00 to 23:59, where would this fall? Write it in that style."),
    ],
    "spelled_number": [
        ("seen", "Write this number in digits."),
        ("seen", "Convert the number words to a numeral."),
        ("seen", "What number is written out below? Answer with digits only."),
        ("seen", "Give the numeric form of the spelled-out number."),
        ("seen", "Turn the English number words into an integer."),
        ("seen", "words -> digits"),
        ("seen", "Rewrite the spelled-out number using Arabic numerals."),
        ("seen", "Translate the number in words into figures."),
        ("seen", "Which integer do these words name? Reply with the digits."),
        ("seen", "Output the number as digits, nothing else."),
        ("unseen", "Someone typed a quantity out longhand. Key it into a calculator: what do you type?"),
        ("unseen", "Please give me the amount this text spells, as plain 0-9 characters."),
        ("unseen", "How would this amount look in the number box of a cheque?"),
        ("unseen", "Read the quantity aloud in your head and jot it down numerically."),
        ("unseen", "Find the quantity that is spelled in letters and return it as a number."),
        ("unseen", "Replace the wording with numerals; I only want the resulting value."),
    ],
}


def wording_ids(task: str) -> list[tuple[str, str, str]]:
    "[(id, side, text)] of a task's wordings, ids <task>_w01, <task>_w02, ... in declaration order."
    return [(f"{task}_w{i:02d}", side, text) for i, (side, text) in enumerate(WORDINGS[task], 1)]

# --------------------------------------------------------------------------
# clock24: a 12-hour time -> HH:MM
# --------------------------------------------------------------------------

TIME_FRAMES = (
    "The tram leaves at {t}.",
    "Set an alarm for {t}.",
    "Doors open at {t} sharp.",
    "The call was logged at {t}",
    "Pick-up is booked for {t} tomorrow.",
)


def _h12(h: int) -> int: return h % 12 or 12
def _ampm(h: int) -> str: return "am" if h < 12 else "pm"


CLOCK_FORMATS = {   # id -> renderer of (hour 0-23, minute)
    "h_mm_am":        lambda h, m: f"{_h12(h)}:{m:02d} {_ampm(h)}",
    "h_mm_AM":        lambda h, m: f"{_h12(h)}:{m:02d} {_ampm(h).upper()}",
    "h_mmam":         lambda h, m: f"{_h12(h)}:{m:02d}{_ampm(h)}",
    "h_mm_a.m.":      lambda h, m: f"{_h12(h)}:{m:02d} {_ampm(h)[0]}.m.",
    "hh_mm_AM":       lambda h, m: f"{_h12(h):02d}:{m:02d} {_ampm(h).upper()}",
    "h.mm_am":        lambda h, m: f"{_h12(h)}.{m:02d} {_ampm(h)}",
    "sentence":       None,   # a TIME_FRAMES sentence around h_mm_am; see gen_clock24
}


def gen_clock24(rng: random.Random, fmt: str, value: tuple[int, int]) -> tuple[str, str]:
    "The time `value` (hour 0-23, minute) written in `fmt` -> 'HH:MM'."
    h, m = value
    text = rng.choice(TIME_FRAMES).format(t=CLOCK_FORMATS["h_mm_am"](h, m)) if fmt == "sentence" else CLOCK_FORMATS[fmt](h, m)
    return text, f"{h:02d}:{m:02d}"


def sample_clock24(rng: random.Random) -> tuple[int, int]:
    return rng.randrange(24), rng.randrange(60)

# --------------------------------------------------------------------------
# spelled_number: 1-999 in English words -> digits
# --------------------------------------------------------------------------

ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen").split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_FRAMES = (
    "We counted {w} birds on the lake.",
    "The box holds {w} screws.",
    "There were {w} people at the talk.",
    "She has read {w} pages so far.",
    "The invoice lists {w} items",
)


def number_words(n: int, and_: bool = False, hyphen: bool = True) -> str:
    "1 <= n <= 999 in English words: 'four hundred seventy-two'; `and_`: 'four hundred and seventy-two'; `hyphen=False`: 'seventy two'."
    if not 1 <= n <= 999: raise ValueError(n)
    hundreds, rest = divmod(n, 100)
    parts = [f"{ONES[hundreds]} hundred"] if hundreds else []
    if rest:
        if hundreds and and_: parts.append("and")
        if rest < 20: parts.append(ONES[rest])
        else:
            tens, ones = divmod(rest, 10)
            parts.append(TENS[tens] + (("-" if hyphen else " ") + ONES[ones] if ones else ""))
    return " ".join(parts)


NUMBER_FORMATS = {   # id -> renderer of n
    "plain":     lambda n: number_words(n),
    "and":       lambda n: number_words(n, and_=True),
    "no_hyphen": lambda n: number_words(n, hyphen=False),
    "title":     lambda n: " ".join("-".join(p.capitalize() for p in w.split("-")) for w in number_words(n).split(" ")),
    "upper":     lambda n: number_words(n).upper(),
    "sentence":  None,   # a NUMBER_FRAMES sentence around plain; see gen_spelled_number
}


def gen_spelled_number(rng: random.Random, fmt: str, n: int) -> tuple[str, str]:
    "The number `n` written in words in `fmt` -> its digits."
    text = rng.choice(NUMBER_FRAMES).format(w=number_words(n)) if fmt == "sentence" else NUMBER_FORMATS[fmt](n)
    return text, str(n)


def sample_number(rng: random.Random) -> int:
    "1-999, small numbers a little more often than uniform: 1-19 (3%), 20-99 (12%), 100-999 (85%)."
    r = rng.random()
    return rng.randint(1, 19) if r < 0.03 else rng.randint(20, 99) if r < 0.15 else rng.randint(100, 999)

# --------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------

TASK_SPEC = {   # task -> (formats, sampler, generator)
    "clock24": (CLOCK_FORMATS, sample_clock24, gen_clock24),
    "spelled_number": (NUMBER_FORMATS, sample_number, gen_spelled_number),
}


def balanced_plan(rng: random.Random, options: tuple, n: int) -> list:
    "n items cycling through `options` as evenly as possible, shuffled."
    plan = [options[i % len(options)] for i in range(n)]
    rng.shuffle(plan)
    return plan


def make_row(task: str, fmt: str, wording: tuple[str, str, str], inp: str, out: str) -> dict:
    wid, _, text = wording
    return {"messages": [{"role": "user", "content": f"{text}\n\n{inp}"}, {"role": "assistant", "content": out}],
            "task": task, "format": fmt, "wording": wid}


def build_task(rng: random.Random, task: str) -> dict[str, list[dict]]:
    "{split: rows} of one task: train, validation and test_seen with new answer values each; test_unseen re-asks test_seen with unseen wordings."
    formats, sample, gen = TASK_SPEC[task]
    seen_w = [w for w in wording_ids(task) if w[1] == "seen"]
    unseen_w = [w for w in wording_ids(task) if w[1] == "unseen"]
    used, out = set(), {}
    for split in ("train", "validation", "test_seen"):
        rows = []
        for fmt, wording in zip(balanced_plan(rng, tuple(formats), COUNTS[split]), balanced_plan(rng, tuple(seen_w), COUNTS[split])):
            for _ in range(MAX_TRIES):
                value = sample(rng)
                if value not in used: break
            else: raise RuntimeError(f"no unused value left for {task} in {split}")
            used.add(value)
            rows.append(make_row(task, fmt, wording, *gen(rng, fmt, value)))
        out[split] = rows
    pairs = out["test_seen"][:COUNTS["test_unseen"]]
    out["test_unseen"] = [make_row(task, r["format"], w, r["messages"][0]["content"].split("\n\n", 1)[1], r["messages"][1]["content"])
                          for r, w in zip(pairs, balanced_plan(rng, tuple(unseen_w), len(pairs)))]
    return out


def build_fresh(seed: int) -> dict[tuple[str, str], list[dict]]:
    "{(task, split): rows} for both tasks, each task from its own seeded generator."
    out = {}
    for i, task in enumerate(TASKS):
        for split, rows in build_task(random.Random(seed * 1000 + i), task).items(): out[task, split] = rows
    return out


def render_jsonl(rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def rendered_files(seed: int, out_dir: Path) -> dict[Path, bytes]:
    "{path: bytes} of every file: <task>_<split>.jsonl."
    return {out_dir / f"{task}_{split}.jsonl": render_jsonl(rows) for (task, split), rows in build_fresh(seed).items()}


def write_files(files: dict[Path, bytes]) -> None:
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path} ({data.count(10)} rows)")


def check_files(files: dict[Path, bytes]) -> int:
    "Compare a fresh build with the files on disk; name each one that differs; 0 when all are current."
    bad = [p for p, data in files.items() if not p.is_file() or p.read_bytes() != data]
    for p in bad: print(f"{'missing' if not p.is_file() else 'differs'}: {p}", file=sys.stderr)
    if not bad: print("all fresh-task files are up to date")
    return 1 if bad else 0


def catalogue() -> list[tuple[str, str, str, str, str]]:
    "(task, kind, id, side, example) for every wording and format: what --list prints."
    rng, out = random.Random(0), []
    examples = {"clock24": (15, 45), "spelled_number": 472}
    for task in TASKS:
        formats, _, gen = TASK_SPEC[task]
        out += [(task, "format", f, "both", gen(rng, f, examples[task])[0]) for f in formats]
        out += [(task, "wording", wid, side, text) for wid, side, text in wording_ids(task)]
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: beside this script)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--check", action="store_true", help="do not write; exit 1 if the files on disk differ from a fresh build")
    p.add_argument("--list", action="store_true", help="print every wording and format with its side and an example")
    args = p.parse_args(argv)
    if args.list:
        for row in catalogue(): print("\t".join(row))
        return 0
    files = rendered_files(args.seed, args.out)
    if args.check: return check_files(files)
    write_files(files)
    return 0


if __name__ == "__main__":
    sys.exit(main())

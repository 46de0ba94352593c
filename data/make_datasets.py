#!/usr/bin/env python3
"""Generate the small multi-task instruction dataset used in the ftcourse labs.

The dataset has four tasks whose answers can be checked by exact string match:

* ``date``      -- rewrite a human-written date as ISO 8601 ``YYYY-MM-DD``.
* ``units``     -- exact metric / time unit conversion, answered as "<number> <unit>".
* ``extract``   -- pull name, order_id, items and city out of a sentence as compact JSON.
* ``sentiment`` -- label a short templated product review positive / negative / neutral.

Each task gets 400 train, 50 validation and 100 test rows (2,200 rows in all).
Every ``input`` is unique across the whole dataset (compared lowercased with
collapsed whitespace), so no example leaks between splits.  All texts, templates,
names and word lists are written by hand for this project; nothing is copied from
a public dataset.  Only the Python standard library is used.

Output, beside this script by default::

    data/tasks/train.jsonl
    data/tasks/validation.jsonl
    data/tasks/test.jsonl

One JSON object per line with keys ``instruction``, ``input``, ``output``, ``task``
(in that order), UTF-8, ``\\n`` line endings.  Rows in a file are ordered by task
(date, units, extract, sentiment), then by generation order.  The same seed always
gives byte-identical files.

Usage::

    python3 data/make_datasets.py                 # write data/tasks/*.jsonl
    python3 data/make_datasets.py --check         # exit 1 if files on disk differ
    python3 data/make_datasets.py --out DIR --seed 0
"""

from __future__ import annotations

import argparse
import calendar
import datetime
import json
import random
import sys
from decimal import Decimal
from pathlib import Path
from typing import Callable

TASKS = ("date", "units", "extract", "sentiment")
SPLITS = (("train", 400), ("validation", 50), ("test", 100))
MAX_TRIES = 10_000
DEFAULT_OUT = Path(__file__).resolve().parent / "tasks"

# --------------------------------------------------------------------------
# Instructions (paraphrases, one picked at random per row)
# --------------------------------------------------------------------------

INSTRUCTIONS = {
    "date": (
        "Rewrite the date in ISO 8601 format (YYYY-MM-DD).",
        "Convert this date to the form YYYY-MM-DD.",
        "Normalize the date below to ISO 8601 (YYYY-MM-DD). Answer with the date only.",
        "Give this date as YYYY-MM-DD.",
    ),
    "units": (
        "Convert the quantity to the requested unit. Answer with the number and unit only.",
        "Do the unit conversion and reply with just the number followed by the unit.",
        "Express the amount in the target unit. Reply in the form '<number> <unit>'.",
    ),
    "extract": (
        "Extract name, order_id, items and city from the text as JSON.",
        "Read the sentence and return a JSON object with the keys name, order_id, items and city.",
        "Pull the customer name, order id, number of items and destination city out of the text. "
        "Answer with compact JSON using the keys name, order_id, items, city.",
    ),
    "sentiment": (
        "Classify the sentiment of the review as positive, negative or neutral. Answer with one word.",
        "Is this product review positive, negative or neutral? Reply with a single word.",
        "Label the review's sentiment: positive, negative or neutral. Output only the label.",
    ),
}

# --------------------------------------------------------------------------
# Word lists for the date task
# --------------------------------------------------------------------------

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
            "Saturday", "Sunday")
DATE_FORMATS = ("month_d_y", "d_month_y", "mon_d_y", "d_mon_y", "month_dth_y",
                "the_dth_of_month", "y_slash_m_d", "weekday_month_d_y", "d_dash_mon_y")
YEAR_MIN, YEAR_MAX = 1990, 2035

# --------------------------------------------------------------------------
# Conversions for the units task: (from, to, multiply by, divide by)
# --------------------------------------------------------------------------

CONVERSIONS = (
    ("km", "m", 1000, 1), ("m", "km", 1, 1000),
    ("m", "cm", 100, 1), ("cm", "m", 1, 100),
    ("cm", "mm", 10, 1), ("mm", "cm", 1, 10),
    ("kg", "g", 1000, 1), ("g", "kg", 1, 1000),
    ("l", "ml", 1000, 1), ("ml", "l", 1, 1000),
    ("h", "min", 60, 1), ("min", "h", 1, 60),
    ("min", "s", 60, 1), ("s", "min", 1, 60),
)
UNIT_TEMPLATES = (
    "{v} {a} in {b}",
    "Convert {v} {a} to {b}",
    "How many {b} is {v} {a}?",
    "{v} {a} = ? {b}",
    "Express {v} {a} in {b}.",
    "What is {v} {a} in {b}?",
)
MAX_DECIMALS = Decimal("0.001")
MAX_NUMBER_CHARS = 8

# --------------------------------------------------------------------------
# Word lists and templates for the extract task
# --------------------------------------------------------------------------

FIRST_NAMES = (
    "Maria", "Ken", "Amara", "Lucas", "Priya", "Jonas", "Elena", "Tomas", "Aisha", "Felix",
    "Mei", "Omar", "Sofia", "Rafael", "Hana", "Diego", "Nadia", "Viktor", "Leila", "Samuel",
    "Ines", "Kofi", "Yuki", "Mateo", "Freya", "Arjun", "Clara", "Idris", "Zofia", "Bruno",
    "Lina", "Hugo", "Anya", "Pablo", "Greta", "Tariq", "Noor", "Emil", "Rosa", "Dmitri",
)
LAST_NAMES = (
    "Lopez", "Ito", "Okafor", "Berg", "Sharma", "Novak", "Rossi", "Keller", "Haddad", "Moreau",
    "Chen", "Silva", "Andersen", "Kowalski", "Nakamura", "Mensah", "Petrov", "Duarte", "Farouk", "Lindqvist",
    "Costa", "Weber", "Tanaka", "Ortega", "Hughes", "Banerjee", "Varga", "Osei", "Larsen", "Romero",
    "Fischer", "Kim", "Adeyemi", "Dubois", "Horvat", "Quinn", "Santos", "Yilmaz", "Brandt", "Castillo",
)
CITIES = (
    "Lyon", "Porto", "Leeds", "Graz", "Turin", "Ghent", "Bergen", "Malmo", "Krakow", "Bilbao",
    "Utrecht", "Basel", "Tampere", "Brno", "Cork", "Aarhus", "Seville", "Dresden", "Nantes", "Bologna",
    "Osaka", "Busan", "Perth", "Austin", "Denver", "Quebec", "Halifax", "Recife", "Cusco", "Accra",
    "Nairobi", "Tunis", "Izmir", "Pune", "Hanoi", "Cebu", "Dunedin", "Tallinn", "Riga", "Split",
)
ORDER_TEMPLATES = (
    "Order {oid} was placed by {name} for {items}, to be shipped to {city}.",
    "Ship {items} to {city} for customer {name} (order no. {oid}).",
    "{name} ordered {items} under order #{oid}; delivery city: {city}.",
    "Customer {name} placed order {oid}: {items} going to {city}.",
    "Please send order {oid} ({items}) to {city}, attention {name}.",
    "For order number {oid}, {name} requested {items} delivered in {city}.",
    "Deliver {items} to {name} in {city}, reference order {oid}.",
    "{city} is the destination for order {oid}, which {name} placed for {items}.",
)
ORDER_ID_RANGE = (1000, 9999)
ITEMS_RANGE = (1, 12)

# --------------------------------------------------------------------------
# Word lists and templates for the sentiment task
# --------------------------------------------------------------------------

PRODUCTS = (
    "kettle", "toaster", "blender", "desk lamp", "backpack", "umbrella", "water bottle",
    "keyboard", "mouse", "headset", "phone case", "frying pan", "office chair", "alarm clock",
    "hair dryer", "coffee grinder", "rice cooker", "tent", "yoga mat", "bike lock",
    "travel mug", "extension cord", "wall clock", "speaker", "sleeping bag",
)
POSITIVE_PHRASES = (
    "works perfectly", "is worth every penny", "exceeded my expectations",
    "is sturdy and well made", "looks great", "was a fantastic purchase",
    "does exactly what I wanted", "is the best one I have owned", "feels really high quality",
    "makes my mornings so much easier", "has been excellent so far", "is a joy to use",
    "works even better than advertised", "is wonderfully reliable", "impressed my whole family",
)
NEGATIVE_PHRASES = (
    "broke after two days", "is a complete waste of money", "stopped working within a week",
    "feels cheap and flimsy", "arrived damaged", "is the worst thing I have bought this year",
    "keeps failing at the worst moment", "is terribly made", "was a huge disappointment",
    "started falling apart almost immediately", "is awkward and annoying to use",
    "never worked properly", "is badly designed", "made me regret buying it",
    "is much worse than the photos suggest",
)
NEUTRAL_PHRASES = (
    "arrived on {weekday}", "is {color}", "came in a {color} box", "weighs about {grams} grams",
    "has {count} buttons on the side", "was delivered by courier on {weekday}",
    "comes with a printed manual", "is made of plastic and metal", "has a {color} finish",
    "has a model number printed on the bottom", "was shipped in a cardboard box",
    "has a small {color} label on the back", "was bought on {weekday} afternoon",
    "came with a receipt in the package", "came with {count} spare screws",
)
NEUTRAL_FILLERS = {
    "weekday": WEEKDAYS,
    "color": ("blue", "grey", "black", "white", "green", "red", "silver", "beige"),
    "grams": ("300", "450", "600", "750", "900", "1200"),
    "count": ("two", "three", "four"),
}
REVIEW_TEMPLATES = (
    "The {product} {p1}.",
    "This {product} {p1}.",
    "The {product} {p1} and {p2}.",
    "I got the {product} last week. It {p1}.",
    "My new {product} {p1}, and it {p2}.",
    "I bought the {product} a month ago. It {p1} and {p2}.",
)
REVIEW_CLOSERS = {
    "positive": ("", "Highly recommended.", "I would buy it again.", "Five stars from me."),
    "negative": ("", "Avoid it.", "I want a refund.", "Would not buy again."),
    "neutral": ("",),
}
SENTIMENT_LABELS = ("positive", "negative", "neutral")


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def normalize(text: str) -> str:
    """Return the form used for duplicate detection: lowercase, collapsed whitespace."""
    return " ".join(text.lower().split())


def balanced_plan(rng: random.Random, options: tuple, n: int) -> list:
    """Return n items cycling through options as evenly as possible, shuffled."""
    plan = [options[i % len(options)] for i in range(n)]
    rng.shuffle(plan)
    return plan


def ordinal(day: int) -> str:
    """Return the English ordinal of a day number, e.g. 1 -> '1st', 12 -> '12th'."""
    if 10 <= day % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def format_number(value: Decimal) -> str:
    """Format a Decimal canonically: no exponent, no trailing zeros or trailing dot."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fill_slots(rng: random.Random, phrases: list[str]) -> list[str]:
    """Fill {slot} placeholders in neutral phrases, sharing one value per slot."""
    values = {key: rng.choice(words) for key, words in NEUTRAL_FILLERS.items()}
    return [phrase.format(**values) for phrase in phrases]


# --------------------------------------------------------------------------
# Task generators: each returns (input, output) for one row
# --------------------------------------------------------------------------

def sample_date(rng: random.Random) -> datetime.date:
    """Sample a valid date in [YEAR_MIN, YEAR_MAX]; about half have one-digit days."""
    year = rng.randint(YEAR_MIN, YEAR_MAX)
    month = rng.randint(1, 12)
    last_day = calendar.monthrange(year, month)[1]
    day = rng.randint(1, 9) if rng.random() < 0.5 else rng.randint(10, last_day)
    return datetime.date(year, month, day)


def render_date(d: datetime.date, fmt: str) -> str:
    """Write a date in one of the unambiguous human formats named in DATE_FORMATS."""
    month, mon = MONTHS[d.month - 1], MONTHS_SHORT[d.month - 1]
    renderers = {
        "month_d_y": f"{month} {d.day}, {d.year}",
        "d_month_y": f"{d.day} {month} {d.year}",
        "mon_d_y": f"{mon} {d.day}, {d.year}",
        "d_mon_y": f"{d.day} {mon} {d.year}",
        "month_dth_y": f"{month} {ordinal(d.day)}, {d.year}",
        "the_dth_of_month": f"the {ordinal(d.day)} of {month}, {d.year}",
        "y_slash_m_d": f"{d.year}/{d.month:02d}/{d.day:02d}",
        "weekday_month_d_y": f"{WEEKDAYS[d.weekday()]}, {month} {d.day}, {d.year}",
        "d_dash_mon_y": f"{d.day}-{mon}-{d.year}",
    }
    return renderers[fmt]


def gen_date(rng: random.Random, fmt: str) -> tuple[str, str]:
    """Date normalization: a human-written date -> ISO 8601."""
    d = sample_date(rng)
    return render_date(d, fmt), d.isoformat()


def sample_quantity(rng: random.Random) -> Decimal:
    """Sample a short positive quantity with 0-3 decimals, in one of several styles."""
    style = rng.randrange(6)
    if style == 0:
        return Decimal(rng.randint(1, 20))
    if style == 1:
        return Decimal(rng.randint(1, 999))
    if style == 2:
        return Decimal(rng.randint(1, 999)) / 10
    if style == 3:
        return Decimal(rng.randint(1, 999)) / 100
    if style == 4:
        return Decimal(rng.randint(1, 999)) / 1000
    return Decimal(rng.randint(1, 40) * rng.choice((5, 15, 25, 50)))


def exact_conversion(value: Decimal, mul: int, div: int) -> Decimal | None:
    """Return value*mul/div if it is exact with at most 3 decimals and short, else None."""
    result = value * mul / div
    if result != result.quantize(MAX_DECIMALS):
        return None
    if result <= 0 or len(format_number(result)) > MAX_NUMBER_CHARS:
        return None
    return result


def gen_units(rng: random.Random, conversion: tuple) -> tuple[str, str]:
    """Unit conversion: '<v> <a> to <b>' -> '<result> <b>', exact by construction."""
    src, dst, mul, div = conversion
    for _ in range(MAX_TRIES):
        value = sample_quantity(rng)
        result = exact_conversion(value, mul, div)
        if result is not None:
            break
    else:
        raise RuntimeError(f"no exact value found for {src}->{dst}")
    template = rng.choice(UNIT_TEMPLATES)
    text = template.format(v=format_number(value), a=src, b=dst)
    return text, f"{format_number(result)} {dst}"


def gen_extract(rng: random.Random, template: str) -> tuple[str, str]:
    """Field extraction: an order sentence -> compact JSON (name, order_id, items, city)."""
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    order_id = rng.randint(*ORDER_ID_RANGE)
    items = rng.randint(*ITEMS_RANGE)
    city = rng.choice(CITIES)
    items_text = f"{items} item" if items == 1 else f"{items} items"
    text = template.format(oid=order_id, name=name, items=items_text, city=city)
    record = {"name": name, "order_id": order_id, "items": items, "city": city}
    return text, json.dumps(record, ensure_ascii=False)


def gen_sentiment(rng: random.Random, label: str) -> tuple[str, str]:
    """Sentiment: a templated product review -> its label, correct by construction."""
    pool = {"positive": POSITIVE_PHRASES, "negative": NEGATIVE_PHRASES,
            "neutral": NEUTRAL_PHRASES}[label]
    p1, p2 = rng.sample(pool, 2)
    if label == "neutral":
        p1, p2 = fill_slots(rng, [p1, p2])
    template = rng.choice(REVIEW_TEMPLATES)
    text = template.format(product=rng.choice(PRODUCTS), p1=p1, p2=p2)
    closer = rng.choice(REVIEW_CLOSERS[label])
    if closer:
        text = f"{text} {closer}"
    return text, label


# task name -> (generator, options the per-split plan is balanced over)
GENERATORS: dict[str, tuple[Callable, tuple]] = {
    "date": (gen_date, DATE_FORMATS),
    "units": (gen_units, CONVERSIONS),
    "extract": (gen_extract, ORDER_TEMPLATES),
    "sentiment": (gen_sentiment, SENTIMENT_LABELS),
}


# --------------------------------------------------------------------------
# Dataset assembly and I/O
# --------------------------------------------------------------------------

def make_row(rng: random.Random, task: str, option, seen: set) -> dict:
    """Generate one row of a task whose normalized input is not in seen (then add it)."""
    generator = GENERATORS[task][0]
    for _ in range(MAX_TRIES):
        text, answer = generator(rng, option)
        key = normalize(text)
        if key not in seen:
            seen.add(key)
            return {"instruction": rng.choice(INSTRUCTIONS[task]), "input": text,
                    "output": answer, "task": task}
    raise RuntimeError(f"could not find a new unique input for task {task!r}")


def build_dataset(seed: int) -> dict[str, list[dict]]:
    """Build all splits: {split: rows ordered by task, then generation order}."""
    rng = random.Random(seed)
    seen: set[str] = set()
    splits: dict[str, list[dict]] = {name: [] for name, _ in SPLITS}
    for task in TASKS:
        options = GENERATORS[task][1]
        for split, size in SPLITS:
            for option in balanced_plan(rng, options, size):
                splits[split].append(make_row(rng, task, option, seen))
    return splits


def render_jsonl(rows: list[dict]) -> bytes:
    """Serialize rows as UTF-8 JSON Lines with '\\n' endings."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


def rendered_files(seed: int, out_dir: Path) -> dict[Path, bytes]:
    """Return {path: file bytes} for every split file of the dataset."""
    splits = build_dataset(seed)
    return {out_dir / f"{name}.jsonl": render_jsonl(rows) for name, rows in splits.items()}


def write_files(files: dict[Path, bytes]) -> None:
    """Write each file, creating its folder when needed."""
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        rows = data.count(b"\n")
        print(f"wrote {path} ({rows} rows)")


def check_files(files: dict[Path, bytes]) -> int:
    """Compare generated bytes with disk; print each differing file; return exit code."""
    status = 0
    for path, data in files.items():
        if not path.is_file():
            print(f"missing: {path}", file=sys.stderr)
            status = 1
        elif path.read_bytes() != data:
            print(f"differs: {path}", file=sys.stderr)
            status = 1
    if status == 0:
        print("all dataset files are up to date")
    return status


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder (default: tasks/ beside this script)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if files on disk differ from a fresh build")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point: build the dataset, then write or check it."""
    args = parse_args(argv)
    files = rendered_files(args.seed, args.out)
    if args.check:
        return check_files(files)
    write_files(files)
    return 0


if __name__ == "__main__":
    sys.exit(main())

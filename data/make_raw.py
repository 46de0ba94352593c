#!/usr/bin/env python3
"""Generate the raw, dirty dataset that chapter 30 (data preparation) cleans.

It imitates what a team really gets when it collects fine-tuning examples from three places:

* ``raw/export.jsonl`` -- a database export, Alpaca shape ``{id, task, instruction, input, output}``
* ``raw/webform.csv``  -- a web form, prompt/completion shape (columns ``id, task, prompt, completion``)
* ``raw/chats.json``   -- a chat log, a JSON array of ``{id, task, messages}``

The rows belong to the course's four tasks (``date``, ``units``, ``extract``, ``sentiment``), in a
deliberately imbalanced mix, and carry planted problems: exact duplicates, near-duplicates
(whitespace, casing, small rewordings), empty and far too long answers, HTML junk, e-mail addresses
and phone numbers, off-topic rows, a few unsafe requests, and malformed lines (bad JSON, misnamed
fields, wrong types). ``raw/answer_key.json`` records, for every row id and every malformed line, what
was planted, so that the notebook can measure how well its cleaning finds them. The cleaning code
never reads the key.

All texts, templates and word lists are written for this project (the date, units and order-sentence
generators are reused from ``make_datasets.py``); nothing comes from a public dataset. E-mail
addresses use the reserved ``example.*`` domains and phone numbers the ranges set aside for fiction.
Only the Python standard library is used; the same seed gives byte-identical files.

Usage::

    python3 data/make_raw.py            # write data/raw/*
    python3 data/make_raw.py --check    # exit 1 if the files on disk differ from a fresh build
    python3 data/make_raw.py --out DIR --seed 1
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_datasets as md  # noqa: E402  (the clean set's generators: same tasks, same formats)

DEFAULT_OUT = Path(__file__).resolve().parent / "raw"
TASKS = md.TASKS
# Unique examples per task before any dirt is added: deliberately imbalanced (12.5 : 6 : 1.5 : 1).
BASE_COUNTS = {"sentiment": 300, "extract": 144, "units": 36, "date": 24}
# Planted problems: how many of each.
N_EXACT_DUP = 45
N_NEAR_DUP = {"whitespace": 15, "casing": 15, "reworded": 45}
N_HTML = 25
N_PII = 20
N_EMPTY = 6
N_TOO_LONG = 8
# Sources: how many rows go to the CSV form and the chat log (the rest to the JSONL export).
N_WEBFORM, N_CHATS = 36, 36
# Distinct base rows of a task must be far apart: word-bigram Jaccard of their inputs below this.
BASE_MAX_JACCARD = 0.5
MAX_TRIES = 10_000

# --------------------------------------------------------------------------
# Product reviews for the sentiment task (longer and more varied than the clean set's)
# --------------------------------------------------------------------------

PRODUCTS = (
    "kettle", "toaster", "blender", "desk lamp", "backpack", "umbrella", "water bottle", "keyboard",
    "mouse", "headset", "phone case", "frying pan", "office chair", "alarm clock", "hair dryer",
    "coffee grinder", "rice cooker", "tent", "yoga mat", "bike lock", "travel mug", "extension cord",
    "wall clock", "speaker", "sleeping bag", "garden hose", "bread knife", "laundry basket",
    "reading light", "shower head", "step ladder", "cutting board",
)
WHEN = ("last week", "a month ago", "in March", "two weeks ago", "over the summer", "for my birthday",
        "before the holidays", "three days ago", "in the spring sale", "after my old one broke")
OPENERS = (
    "I bought the {product} {when}.",
    "Got this {product} {when}.",
    "My sister gave me this {product} {when}.",
    "I ordered the {product} {when} for our new flat.",
    "We picked up the {product} {when} at the local shop.",
    "The {product} arrived {when}.",
    "I replaced our {product} {when}.",
    "Bought a second {product} {when} for the office.",
)
POSITIVE = (
    "It works perfectly every single time.", "Worth every penny I paid for it.",
    "It exceeded all my expectations.", "It feels sturdy and well made.",
    "Honestly the best one I have ever owned.", "It does exactly what the box promises.",
    "The build quality is excellent.", "It makes my mornings so much easier.",
    "Setting it up took less than a minute.", "Everyone in the house loves it.",
    "It is quiet, quick and reliable.", "Far better than the expensive brand I had before.",
    "It still looks brand new after daily use.", "A genuinely lovely thing to use.",
    "The design is simple and clever.", "It has not let me down once.",
    "Customer service was friendly and fast too.", "Great value for the price.",
)
NEGATIVE = (
    "It broke after two days.", "A complete waste of money.", "It stopped working within a week.",
    "It feels cheap and flimsy.", "It arrived damaged and nobody answered my emails.",
    "The worst purchase I have made this year.", "It keeps failing at the worst moment.",
    "The plastic cracked the first time I used it.", "It is far too loud to use at night.",
    "The instructions were useless.", "It looks nothing like the photos.",
    "Half the parts were missing from the box.", "It overheats after a few minutes.",
    "I regret buying it.", "The handle came off in my hand.", "Support never replied to me.",
    "It smells of burnt plastic.", "It wobbles and tips over easily.",
)
NEUTRAL = (
    "It is {color} with a matte finish.", "It came in a {color} cardboard box.",
    "It weighs about {grams} grams.", "It has {count} buttons on the side.",
    "It was delivered by courier on {weekday}.", "It comes with a printed manual.",
    "It is made of plastic and metal.", "There is a model number printed on the bottom.",
    "The cable is about {meters} metres long.", "It came with {count} spare screws.",
    "It was shipped from a warehouse in {city}.", "The box lists a two year warranty.",
    "It uses a standard wall plug.", "The label on the back is {color}.",
    "It fits on a normal kitchen shelf.", "It was bought on {weekday} afternoon.",
)
DETAILS = (
    "I mostly use it in the evenings.", "We keep it in the kitchen.", "My partner uses it more than I do.",
    "I use it about twice a week.", "It goes with me on work trips.", "The kids use it for school.",
)
CLOSERS = {
    "positive": ("", "", "Highly recommended.", "I would buy it again.", "Five stars from me."),
    "negative": ("", "", "Avoid it.", "I want a refund.", "Would not buy again."),
    "neutral": ("",),
}
FILL = {
    "color": ("blue", "grey", "black", "white", "green", "red", "silver", "beige"),
    "grams": ("300", "450", "600", "750", "900", "1200"),
    "count": ("two", "three", "four"),
    "meters": ("one", "two", "three"),
    "weekday": md.WEEKDAYS,
    "city": ("Leeds", "Porto", "Graz", "Ghent", "Utrecht", "Tampere"),
}
LABELS = ("positive", "negative", "neutral")


def gen_review(rng: random.Random, label: str) -> tuple[str, str]:
    """A product review of 2 to 5 sentences whose label is correct by construction."""
    pool = {"positive": POSITIVE, "negative": NEGATIVE, "neutral": NEUTRAL}[label]
    product = rng.choice(PRODUCTS)
    parts = [rng.choice(OPENERS).format(product=product, when=rng.choice(WHEN))]
    parts += rng.sample(pool, 2 if rng.random() < 0.6 else 1)
    if label != "neutral" and rng.random() < 0.4:
        parts.append(rng.choice(DETAILS))
    closer = rng.choice(CLOSERS[label])
    if closer:
        parts.append(closer)
    values = {key: rng.choice(words) for key, words in FILL.items()}
    return " ".join(p.format(**values) for p in parts), label


def gen_task_row(rng: random.Random, task: str) -> tuple[str, str]:
    """One (input, output) pair of `task`, using the clean set's generators for three tasks."""
    if task == "sentiment":
        return gen_review(rng, rng.choice(LABELS))
    if task == "date":
        return md.gen_date(rng, rng.choice(md.DATE_FORMATS))
    if task == "units":
        return md.gen_units(rng, rng.choice(md.CONVERSIONS))
    return md.gen_extract(rng, rng.choice(md.ORDER_TEMPLATES))

# --------------------------------------------------------------------------
# Similarity (only to keep distinct base rows apart; the notebook has its own)
# --------------------------------------------------------------------------

def bigrams(text: str) -> frozenset:
    """Word bigrams of lowercased alphanumeric tokens (the token itself for a one-word text)."""
    toks = re.findall(r"[a-z0-9]+", text.lower())
    return frozenset(zip(toks, toks[1:])) if len(toks) > 1 else frozenset((t,) for t in toks)


def jaccard(a: frozenset, b: frozenset) -> float:
    """Jaccard similarity of two sets (1.0 for two empty sets)."""
    return len(a & b) / len(a | b) if a or b else 1.0

# --------------------------------------------------------------------------
# Planted problems
# --------------------------------------------------------------------------

SYNONYMS = (
    ("bought", "purchased"), ("Got", "Picked up"), ("gave me", "got me"), ("ordered", "bought"),
    ("works perfectly", "works flawlessly"), ("Worth every penny", "Worth every cent"),
    ("sturdy", "solid"), ("excellent", "superb"), ("loves", "likes"), ("quick", "fast"),
    ("broke", "fell apart"), ("cheap and flimsy", "flimsy and cheap"), ("useless", "no help at all"),
    ("worst", "poorest"), ("too loud", "very loud"), ("regret", "really regret"), ("arrived", "came"),
    ("placed by", "made by"), ("to be shipped to", "to be sent to"), ("customer", "client"),
    ("delivery city", "destination"), ("Please send", "Kindly send"), ("requested", "asked for"),
    ("Deliver", "Bring"), ("going to", "headed to"), ("destination", "target city"),
    ("It is", "It's"), ("I have", "I've"), ("two", "2"), ("every single time", "every time"),
)


def reword(rng: random.Random, text: str) -> tuple[str, list[str]]:
    """Apply 1 to 3 small edits (synonyms, a filler word, punctuation); returns the text and the edits made."""
    edits: list[str] = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        options = [pair for pair in SYNONYMS if pair[0] in text]
        choice = rng.random()
        if options and choice < 0.6:
            old, new = rng.choice(options)
            text = text.replace(old, new, 1)
            edits.append(f"{old!r}->{new!r}")
        elif choice < 0.8 and not any(e.startswith("prefix") for e in edits):
            filler = rng.choice(("Honestly, ", "Update: ", "Note: ", "Well, "))
            first = text.split(" ", 1)[0]
            keep = first == "I" or first.isupper() or not first[:1].isalpha()
            text = filler + (text if keep else text[0].lower() + text[1:])
            edits.append(f"prefix {filler.strip()!r}")
        elif text.endswith(".") and "end punctuation" not in edits:
            text = text[:-1] + "!"
            edits.append("end punctuation")
    return text, edits


def whitespace_noise(rng: random.Random, text: str) -> str:
    """The same text with doubled spaces, a tab or a line break, and stray spaces at the ends."""
    words = text.split(" ")
    for i in rng.sample(range(len(words)), min(len(words), rng.randint(1, 3))):
        words[i] = words[i] + rng.choice(("  ", "\t", "\n"))
    return rng.choice(("", " ", "  ", "\n")) + " ".join(words) + rng.choice((" ", "  ", "\n", "\t"))


def casing_noise(rng: random.Random, text: str) -> str:
    """The same text upper-cased, lower-cased or title-cased."""
    return rng.choice((str.upper, str.lower, str.title))(text)


BLOCK_TAGS = ("<p>", "</p>", "<br>", "<br/>", "<div>", "</div>")


def html_noise(rng: random.Random, text: str) -> str:
    """The text as it looks when scraped from a web page: paragraphs, bold, non-breaking spaces."""
    sentences = re.split(r"(?<=[.!?]) ", text)
    style = rng.randrange(3)
    if style == 0:
        html = "".join(f"<p>{s}</p>" for s in sentences)
    elif style == 1:
        html = "<br/>".join(sentences)
    else:
        html = '<div class="review-body">' + " ".join(sentences) + "</div>"
    words = html.split(" ")
    if len(words) > 3:
        i = rng.randrange(1, len(words) - 1)
        if not any(t in words[i] for t in ("<", ">")):
            words[i] = f"<b>{words[i]}</b>"
        j = rng.randrange(1, len(words))
        words[j - 1] = words[j - 1] + "&nbsp;" + words[j]
        del words[j]
    return " ".join(words)


EMAIL_USERS = ("nadia.osei", "k.tanaka", "bruno.weber71", "lina_costa", "tom.h", "greta.berg",
               "pablo.ruiz", "mei.chen", "j.okafor", "idris.n")
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")
# fictional numbers only: UK drama ranges (020 7946 0xxx, 0161 496 0xxx) and the US 555-0100..0199 range
PHONES = ("+44 20 7946 0{n:03d}", "+44 161 496 0{n:03d}", "(201) 555-0{n:03d}", "0161 496 0{n:03d}",
          "+1 415 555 0{n:03d}", "020 7946 0{n:03d}")
PII_SENTENCES = (
    "You can reach me at {email} if you need details.", "Write to {email} with any questions.",
    "Call me on {phone} if you want photos.", "My number is {phone}, text me.",
    "Contact: {email}, {phone}.",
)


def pii_noise(rng: random.Random, text: str) -> tuple[str, list[str]]:
    """The text with a sentence that gives an e-mail address and/or a phone number; also returns them."""
    email = f"{rng.choice(EMAIL_USERS)}@{rng.choice(EMAIL_DOMAINS)}"
    phone = rng.choice(PHONES).format(n=rng.randint(100, 199))
    sentence = rng.choice(PII_SENTENCES)
    found = ([email] if "{email}" in sentence else []) + ([phone] if "{phone}" in sentence else [])
    return f"{text} {sentence.format(email=email, phone=phone)}", found


RAMBLE = (
    "Let me explain my reasoning in much more detail than anyone asked for.",
    "First of all, it is important to consider the context in which the question was asked.",
    "There are many factors that could influence the answer, and I will go through each of them.",
    "Some people might see it differently, and that is a perfectly valid point of view.",
    "In addition, it is worth remembering that language can be ambiguous at times.",
    "To summarise what I said above, and to repeat it once more for clarity:",
    "I hope this long explanation helps you understand the answer better.",
    "Please let me know if you would like me to go over any part of it again.",
)


def too_long(rng: random.Random, answer: str) -> str:
    """The right answer followed by several hundred tokens of rambling."""
    return answer + " " + " ".join(rng.choice(RAMBLE) for _ in range(rng.randint(45, 70)))


OFF_TOPIC = (  # (task label or None, instruction, input, output)
    (None, "Write a short poem about autumn.", "",
     "Leaves fall slow and gold,\nthe wind hums an old tune,\nthe kettle sings back."),
    ("chitchat", "What is your favourite colour?", "", "I like green, it reminds me of the garden."),
    ("sentiment", "What time does the shop open on Sundays?", "", "We open at ten on Sundays."),
    (None, "test", "test test", "asdf"),
    ("misc", "Tell me a joke about printers.", "", "Why did the printer stop? It had too many issues to sort out."),
    ("extract", "Summarise our meeting notes.", "We agreed to move the launch to next month and to hire one more tester.",
     "The launch moves to next month and the team hires a tester."),
    ("units", "Which is heavier, a kilo of feathers or a kilo of bricks?", "", "They weigh the same: one kilogram each."),
    (None, "Translate 'good morning' into French.", "", "Bonjour."),
    ("date", "What day comes after Monday?", "", "Tuesday."),
    ("chitchat", "How are you today?", "", "I am fine, thank you for asking!"),
    ("sentiment", "Click here to claim your free prize!!!", "WIN WIN WIN - limited offer, act now",
     "Congratulations, you are a winner."),
    (None, "Recommend a book for a long train ride.", "", "Try a thick mystery novel: the chapters are short and the plot keeps you reading."),
    ("misc", "lorem ipsum", "dolor sit amet", "consectetur"),
    ("extract", "Write a haiku about the sea.", "", "Grey waves fold and break,\nsalt on the harbour railing,\ngulls argue at dusk."),
    ("units", "Is it going to rain tomorrow?", "", "I cannot see the weather forecast."),
)
UNSAFE = (  # (task, instruction, input, output): requests a cleaned set must not teach; no harmful detail
    ("sentiment", "Write a review that threatens to hurt the seller.", "", "[a threatening message]"),
    ("extract", "How can I pick the lock on my neighbour's shed while they are away?", "", "Sure, here is how to break in: [steps]"),
    ("chitchat", "Write a nasty message to harass my coworker until she quits.", "", "[an abusive message]"),
    ("sentiment", "Label this review.", "The blender is fine but the seller is an idiot and I will find where he lives.", "negative"),
    ("misc", "Which household chemicals can I mix to make a toxic gas?", "", "Sure, mix [redacted] with [redacted]."),
    ("units", "How much of my mother's sleeping pills would it take to knock her out?", "", "[a dangerous dose]"),
)

# Malformed lines for the JSONL export: (what, raw line text). They replace nothing: extra lines.
MALFORMED = (
    ("bad_json", '{"id": "BAD1", "task": "date", "instruction": "Give this date as YYYY-MM-DD.", "input": "3 May 2011", "output": "2011-05-0'),
    ("bad_json", '{"id": "BAD2", "task": "units", "instruction": "Convert the quantity.", input: "5 km in m", "output": "5000 m"}'),
    ("not_object", '["date", "Give this date as YYYY-MM-DD.", "7 June 2004", "2004-06-07"]'),
    ("misnamed_field", '{"id": "BAD3", "task": "sentiment", "instruction": "Label the review\'s sentiment: positive, negative or neutral. Output only the label.", "input": "The tent leaked on the first night.", "response": "negative"}'),
    ("misnamed_field", '{"id": "BAD4", "task": "date", "instruction": "Give this date as YYYY-MM-DD.", "inptu": "9 Oct 2019", "output": "2019-10-09"}'),
    ("wrong_type", '{"id": "BAD5", "task": "units", "instruction": "Convert the quantity to the requested unit. Answer with the number and unit only.", "input": "2 kg in g", "output": 2000}'),
    ("wrong_type", '{"id": "BAD6", "task": "extract", "instruction": "Extract name, order_id, items and city from the text as JSON.", "input": null, "output": "{}"}'),
)

# --------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------

def base_rows(rng: random.Random) -> list[dict]:
    """The clean, distinct examples every other row is made from (inputs far apart within a task)."""
    rows, seen, shingles = [], set(), {t: [] for t in TASKS}
    for task in TASKS:
        for _ in range(BASE_COUNTS[task]):
            for _ in range(MAX_TRIES):
                text, answer = gen_task_row(rng, task)
                key, sh = md.normalize(text), bigrams(text)
                if key in seen: continue
                if task in ("sentiment", "extract") and any(jaccard(sh, o) >= BASE_MAX_JACCARD for o in shingles[task]):
                    continue
                break
            else:
                raise RuntimeError(f"could not find a new distinct input for task {task!r}")
            seen.add(key); shingles[task].append(sh)
            rows.append({"task": task, "instruction": rng.choice(md.INSTRUCTIONS[task]), "input": text, "output": answer})
    return rows


def build(seed: int) -> tuple[list[dict], dict]:
    """All raw rows (each with `_kind`, `_source`, `_how` bookkeeping) in file order, and the malformed lines."""
    rng = random.Random(seed)
    base = base_rows(rng)
    for i, row in enumerate(base):
        row["_base"] = i
    rows: list[dict] = []
    for row in base:
        rows.append(dict(row, _kind="clean", _how=""))
    # in-place dirt on some base rows: HTML junk and PII (the row stays one example, now dirty)
    longer = [r for r in rows if r["task"] in ("sentiment", "extract")]
    for r in rng.sample([r for r in longer if r["task"] == "sentiment"], N_HTML):
        r["input"], r["_kind"] = html_noise(rng, r["input"]), "html"
    for r in rng.sample([r for r in longer if r["_kind"] == "clean"], N_PII):
        r["input"], found = pii_noise(rng, r["input"])
        r["_kind"], r["_how"] = "pii", ", ".join(found)
    # copies: exact duplicates and near-duplicates of base rows
    extra: list[dict] = []
    for r in rng.sample(rows, N_EXACT_DUP):
        extra.append(dict(r, _kind="exact_dup", _how=""))
    for how, n in N_NEAR_DUP.items():
        pool = [r for r in rows if r["_kind"] == "clean"]
        if how == "reworded": pool = [r for r in pool if r["task"] in ("sentiment", "extract")]
        for r in rng.sample(pool, n):
            if how == "whitespace": text, detail = whitespace_noise(rng, r["input"]), ""
            elif how == "casing": text, detail = casing_noise(rng, r["input"]), ""
            else:
                text, edits = reword(rng, r["input"]); detail = "; ".join(edits)
            extra.append(dict(r, input=text, _kind="near_dup", _how=f"{how}: {detail}" if detail else how))
    # bad answers
    for r in rng.sample([r for r in rows if r["_kind"] == "clean"], N_EMPTY):
        extra.append(dict(r, output=rng.choice(("", " ", "\n")), _kind="empty_output", _how="", _base=None))
    for r in rng.sample([r for r in rows if r["_kind"] == "clean"], N_TOO_LONG):
        extra.append(dict(r, output=too_long(rng, r["output"]), _kind="too_long", _how="", _base=None))
    for task, ins, inp, out in OFF_TOPIC:
        extra.append({"task": task, "instruction": ins, "input": inp, "output": out, "_kind": "off_topic", "_how": "", "_base": None})
    for task, ins, inp, out in UNSAFE:
        extra.append({"task": task, "instruction": ins, "input": inp, "output": out, "_kind": "unsafe", "_how": "", "_base": None})
    rows += extra
    rng.shuffle(rows)
    return rows, rng


def split_sources(rows: list[dict], rng: random.Random) -> dict[str, list[dict]]:
    """Assign ids and spread rows over the three sources (webform and chats get whole-row copies too)."""
    order = list(range(len(rows)))
    rng.shuffle(order)
    webform, chats = set(order[:N_WEBFORM]), set(order[N_WEBFORM:N_WEBFORM + N_CHATS])
    out = {"export": [], "webform": [], "chats": []}
    for i, row in enumerate(rows):
        src = "webform" if i in webform else "chats" if i in chats else "export"
        prefix = {"export": "e", "webform": "w", "chats": "c"}[src]
        row = dict(row, id=f"{prefix}{len(out[src]) + 1:04d}")
        out[src].append(row)
    return out


PUBLIC_KEYS = ("id", "task", "instruction", "input", "output")


def public(row: dict) -> dict:
    """A row as it appears in the export (no bookkeeping, `task` left out when there is none)."""
    return {k: row[k] for k in PUBLIC_KEYS if not (k == "task" and row[k] is None)}


def render_export(rows: list[dict], rng: random.Random) -> tuple[bytes, dict]:
    """The JSONL export with the malformed lines spliced in; returns the bytes and {line: what} for them."""
    lines = [json.dumps(public(r), ensure_ascii=False) for r in rows]
    positions = sorted(rng.sample(range(1, len(lines)), len(MALFORMED)))
    bad = {}
    for offset, (pos, (what, text)) in enumerate(zip(positions, MALFORMED)):
        lines.insert(pos + offset, text)
        bad[pos + offset + 1] = what
    return ("\n".join(lines) + "\n").encode("utf-8"), bad


def user_content(row: dict) -> str:
    """Instruction, then the input after a blank line (the course's user turn)."""
    return row["instruction"] + (f"\n\n{row['input']}" if row["input"] else "")


def render_webform(rows: list[dict]) -> tuple[bytes, dict]:
    """The CSV form export (prompt/completion), plus one row with an unquoted comma and an empty answer."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "task", "prompt", "completion"])
    for r in rows:
        w.writerow([r["id"], r["task"] or "", user_content(r), r["output"]])
    text = buf.getvalue()
    lines = text.split("\n")
    # physical line numbers are what a reader reports, so the malformed row goes last (after any multi-line field)
    extra = ["w9001,date,Give this date as YYYY-MM-DD. 5 May 2020,2020-05-05,oops"]
    n = len(lines)  # lines[-1] == "" after the final newline
    bad = {n: "extra_values"}
    return (text + "\n".join(extra) + "\n").encode("utf-8"), bad


def render_chats(rows: list[dict]) -> tuple[bytes, dict]:
    """The chat log: a JSON array, one conversation per line, plus two broken conversations."""
    items = []
    for r in rows:
        item = {"id": r["id"]}
        if r["task"] is not None: item["task"] = r["task"]
        item["messages"] = [{"role": "user", "content": user_content(r)}, {"role": "assistant", "content": r["output"]}]
        items.append(item)
    items.append({"id": "c9001", "task": "units", "messages": [{"role": "user", "content": "Convert 3 km to m."},
                                                              {"role": "bot", "content": "3000 m"}]})
    items.append({"id": "c9002", "task": "date", "messages": [{"role": "user", "content": "Give this date as YYYY-MM-DD.\n\n2 July 1999"}]})
    lines = [json.dumps(it, ensure_ascii=False) for it in items]
    text = "[\n" + ",\n".join(lines) + "\n]\n"
    n = len(lines)
    bad = {n: "bad_role", n + 1: "no_answer"}  # line 1 is "[": item k sits on line k + 1
    return text.encode("utf-8"), bad


def answer_key(sources: dict[str, list[dict]], bad: dict[str, dict]) -> bytes:
    """What was planted in every row (by id) and on every malformed line (by file:line)."""
    ids = {}
    for src in sources.values():
        for r in src:
            ids[r["id"]] = r
    base_id = {}
    for r in (r for src in sources.values() for r in src):
        if r["_kind"] in ("clean", "html", "pii"): base_id[r["_base"]] = r["id"]
    rows = {}
    for rid in sorted(ids):
        r = ids[rid]
        src = base_id.get(r["_base"]) if r["_base"] is not None else None
        rows[rid] = {"kind": r["_kind"], "cluster": src or rid, "how": r["_how"]}
    lines = {f"{name}:{line}": what for name, d in bad.items() for line, what in sorted(d.items())}
    key = {"about": "What make_raw.py planted. kind: clean, html, pii (repairable in place), exact_dup, near_dup, "
                    "empty_output, too_long, off_topic, unsafe. cluster: the id of the clean row a copy was made "
                    "from (its own id otherwise): rows with one cluster are duplicates of each other.",
           "rows": rows, "malformed_lines": lines}
    return (json.dumps(key, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def rendered_files(seed: int, out: Path) -> dict[Path, bytes]:
    """Return {path: bytes} for every file of the raw dataset."""
    rows, rng = build(seed)
    sources = split_sources(rows, rng)
    export, bad_e = render_export(sources["export"], rng)
    webform, bad_w = render_webform(sources["webform"])
    chats, bad_c = render_chats(sources["chats"])
    key = answer_key(sources, {"export.jsonl": bad_e, "webform.csv": bad_w, "chats.json": bad_c})
    return {out / "export.jsonl": export, out / "webform.csv": webform, out / "chats.json": chats,
            out / "answer_key.json": key}


def main(argv: list[str] | None = None) -> int:
    """Entry point: build the raw dataset, then write or check it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: raw/ beside this script)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if files on disk differ from a fresh build")
    args = parser.parse_args(argv)
    files = rendered_files(args.seed, args.out)
    if args.check:
        return md.check_files(files)
    md.write_files(files)
    return 0


if __name__ == "__main__":
    sys.exit(main())

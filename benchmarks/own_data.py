"""Own data, seen vs unseen wordings (issue 16): train on a fresh task's chat file the way `ftcourse train --data --eval` does, then score exact match on test rows asked with the training wordings (seen) and with wordings training never saw (unseen).

    python benchmarks/own_data.py                                   # SmolLM2-135M (embedded), both fresh tasks and both together, every recipe
    python benchmarks/own_data.py --recipes as-given --tasks clock24 --steps 100
    python benchmarks/own_data.py --model tiny --steps 2 --max-rows 6 --out /tmp/own.json     # the plumbing in seconds

Data: `data/fresh` (`make_fresh.py`): two tasks the course did not write, `clock24` (12-hour time -> "HH:MM") and
`spelled_number` (English number words -> digits), as OpenAI-style `{"messages": [...]}` JSONL. Per task: train (300),
validation (40), test_seen (100, training wordings) and test_unseen (the same 100 inputs re-asked with 6 wordings that
never occur in training). `--tasks` picks task groups: each task alone, and `both` (their files concatenated).

Per task group and recipe, one run through the library's own path:
  1. the training file: the task's own `<task>_train.jsonl` when nothing changes it, else the rows (capped by
     `--max-rows`, concatenated for `both`) written as messages JSONL into the run's folder; the validation file likewise;
  2. `ftcourse.train.train_job(TrainJob(model, data=train file, eval=validation file, paraphrase=N, output_dir), SFTRecipe,
     LoraSettings)`: exactly what `ftcourse train --data FILE --eval FILE --paraphrase N` calls (it adds the paraphrases,
     watches the validation loss, scores the validation file before and after into the run's results.json and saves the
     adapter in final/);
  3. `load_model(model, adapter=<run>/final)` and `evaluate_generation` on test_seen and test_unseen: what
     `ftcourse eval --adapter <run>/final --data FILE` does (greedy, the course's system prompt, exact match).
The base model is scored once on the same test rows ("base model" rows). gap = seen - unseen; the issue's bar is gap <= 0.05.
Train seconds are the trainer's own clock (`TrainResult.train_seconds`: no loading, tokenizing or evaluation).

Recipes (RECIPES below: settings over today's `TrainJob()` / `SFTRecipe()` / `LoraSettings()` defaults; all but `default`
name their paraphrase count and step rule, so their labels stay true when the library's defaults change; `--steps`
overrides max_steps of every recipe):
  default      the library's defaults, whatever they are today: what `ftcourse train --data x --eval y` does (now:
               2 paraphrases per row and at least one step per row of the file, i.e. paraphrase-1-per-row; until
               paraphrase-1-per-row closed clock24's gap it was 0.5 steps per row, i.e. paraphrase-150 on 300 rows)
  as-given     the file as given: no augmentation, the recipe's 60 steps
  paraphrase   2 new rows per training row (`ftcourse.prepare.paraphrase_rows`, chapter 32) whose instruction is a
               task-agnostic rewrite of the file's own instructions: another wording of the same task from the file, a
               prefix or suffix, two wordings joined, words dropped, the input before the instruction, or the input
               alone. Built from the training file only, so it cannot see test_unseen's wordings (checked: the run records
               how many paraphrases equal an unseen instruction, always 0).
  paraphrase-150  the same for 150 steps instead of 60 (2.5x the training): the first run left clock24 under-trained
  paraphrase4-150 4 paraphrases per row, 150 steps: does more wording variety close clock24's gap?
  paraphrase-1-per-row  2 paraphrases per row and at least one step per row of the file (300 rows: 300 steps): does
               training until the seen score saturates close clock24's gap?

Writes `benchmarks/results/own_data_<hardware>.json` (`--out` elsewhere): the hardware (`hardware_summary()`), the
settings of every recipe, per run the steps, train seconds, validation and test scores before and after, per task.
"""
import argparse, dataclasses, datetime, gc, json, os, re, shutil, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TASKS = ("clock24", "spelled_number")
GROUPS = {"clock24": ("clock24",), "spelled_number": ("spelled_number",), "both": TASKS}
RECIPES = {
    "default": {},
    "as-given": dict(paraphrase=0, steps_per_row=0),
    "paraphrase": dict(paraphrase=2, steps_per_row=0),
    "paraphrase-150": dict(paraphrase=2, steps_per_row=0, max_steps=150),
    "paraphrase4-150": dict(paraphrase=4, steps_per_row=0, max_steps=150),
    "paraphrase-1-per-row": dict(paraphrase=2, steps_per_row=1.0),
}
EXTRA_KEYS = dict(paraphrase=None, steps_per_row=None)     # TrainJob settings (None: TrainJob's default)
MODEL_NAMES = {"tiny": "tiny-random"}  # short names this script accepts

# ---------------------------------------------------------------- recipes
def resolve(name: str, steps: int | None = None) -> tuple:
    "`(SFTRecipe, LoraSettings, extras)` of recipe `name`: its settings over today's defaults; `steps` overrides max_steps."
    from ftcourse.env import FtcourseError
    from ftcourse.loop import recipe_and_lora
    if name not in RECIPES: raise SystemExit(f"unknown recipe {name!r}: choose from {', '.join(RECIPES)}")
    spec = dict(RECIPES[name])
    if steps: spec["max_steps"] = steps
    extras = {k: spec.pop(k, v) for k, v in EXTRA_KEYS.items()}
    try: recipe, lora = recipe_and_lora(spec)
    except FtcourseError as e: raise SystemExit(f"recipe {name}: {e}")
    return recipe, lora, extras

def describe(name: str, steps: int | None = None) -> str:
    "One line: what recipe `name` runs."
    r, l, x = resolve(name, steps)
    length = f"{r.max_steps} steps" if r.max_steps > 0 else f"{r.epochs:g} epochs"
    per_row = job_setting(x, "steps_per_row")
    return (f"{name}: {r.method} r={l.lora_r} alpha={l.alpha}, lr {r.learning_rate:g} {r.scheduler}, {length} of {r.batch_size}"
            + (f", early stopping {r.early_stopping_patience}" if r.early_stopping_patience else "")
            + f", {job_setting(x, 'paraphrase')} instruction paraphrases per row"
            + (f", at least {per_row:g} step{'' if per_row == 1 else 's'} per row of the file" if per_row else ""))

def job_setting(extras, name: str):
    "A TrainJob setting of a recipe: its own, else TrainJob's default."
    from ftcourse.train import TrainJob
    return getattr(TrainJob(), name) if extras[name] is None else extras[name]

# ---------------------------------------------------------------- instruction paraphrase augmentation
def norm(text: str) -> str: return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())

def unseen_paraphrases(rows, per_row: int, seed: int, unseen_instructions) -> int:
    "How many of the paraphrases `train_job` adds (`ftcourse.prepare.paraphrase_rows`, same rows and seed) equal an unseen instruction (0 by construction: they come from the training file only)."
    from ftcourse.prepare import paraphrase_rows
    banned = {norm(u) for u in unseen_instructions}
    return sum(norm(r["instruction"]) in banned for r in paraphrase_rows(rows, per_row, seed=seed)[len(rows):])

# ---------------------------------------------------------------- data
def load_splits(data_dir: Path, max_rows: int | None) -> dict:
    "{(task, split): rows} of data/fresh read with the library's reader, the first `max_rows` of each file."
    from ftcourse.data import read_rows
    return {(t, s): read_rows(data_dir / f"{t}_{s}.jsonl")[:max_rows] for t in TASKS for s in ("train", "validation", "test_seen", "test_unseen")}

def chat_file(rows, path: Path) -> Path:
    "`rows` written as messages JSONL (no system message, extra keys kept): the user's shape."
    from ftcourse.data import convert_row, write_records
    return write_records([convert_row(r, "messages", system=None) for r in rows], path)

def group_score(result, tasks) -> float:
    "Exact match of an EvalResult over the examples of `tasks`."
    ex = [e for e in result.examples if e["task"] in tasks]
    return sum(e["correct"] for e in ex) / len(ex) if ex else float("nan")

from ftcourse.env import hardware_slug   # the file-name part of benchmarks/results/*

# ---------------------------------------------------------------- main
def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="smollm2-135m", help="alias, hub id or folder; 'tiny' = the tiny random model (default: smollm2-135m, embedded)")
    p.add_argument("--steps", type=int, default=None, help="max_steps of every recipe (default: each recipe's, i.e. the library's)")
    p.add_argument("--recipes", default=",".join(RECIPES), help=f"comma-separated, from {', '.join(RECIPES)} (default: all)")
    p.add_argument("--tasks", default=",".join(GROUPS), help=f"task groups, comma-separated, from {', '.join(GROUPS)} (default: all)")
    p.add_argument("--max-rows", type=int, default=None, help="use only the first N rows of every file, per task (default: all)")
    p.add_argument("--max-new-tokens", type=int, default=16, help="answer tokens generated per row, test and validation (answers are 1-5 tokens; default: 16)")
    p.add_argument("--data-dir", default=str(ROOT / "data" / "fresh"), help="folder of <task>_<split>.jsonl (default: data/fresh)")
    p.add_argument("--runs-dir", default=str(ROOT / "runs" / "own_data"), help="one folder per run: adapter, history.json, results.json (emptied first)")
    p.add_argument("--out", default="auto", help="results JSON (default: benchmarks/results/own_data_<hardware>.json)")
    p.add_argument("--threads", type=int, default=None, help="torch threads while generating (default: as the library sets them; train_job uses every core)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    args = p.parse_args(argv)
    recipes, groups = [r for r in args.recipes.split(",") if r], [g for g in args.tasks.split(",") if g]
    for g in groups:
        if g not in GROUPS: raise SystemExit(f"unknown task group {g!r}: choose from {', '.join(GROUPS)}")
    for r in recipes: resolve(r, args.steps)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from ftcourse.env import hardware_summary, text_table, set_cpu_threads
    from ftcourse.models import load_model
    from ftcourse.evaluation import evaluate_generation
    from ftcourse.train import TrainJob, train_job

    model_name = MODEL_NAMES.get(args.model, args.model)
    data_dir, runs_dir = Path(args.data_dir), Path(args.runs_dir)
    splits = load_splits(data_dir, args.max_rows)
    hardware = hardware_summary()
    started = time.time()
    print(f"{hardware}\nmodel {model_name}; groups {', '.join(groups)}; recipes:\n  " + "\n  ".join(describe(r, args.steps) for r in recipes))
    test = lambda tasks, split: [r for t in tasks for r in splits[t, split]]
    def score(model, tok, rows):
        if args.threads: set_cpu_threads(args.threads)
        return evaluate_generation(model, tok, rows, metrics=("exact_match",), max_new_tokens=args.max_new_tokens)

    # the base model on every test row, once
    tasks_needed = tuple(t for t in TASKS if any(t in GROUPS[g] for g in groups))
    model, tok = load_model(model_name, verbose=False)
    t0 = time.time()
    base = {s: score(model, tok, test(tasks_needed, s)) for s in ("test_seen", "test_unseen")}
    base_eval_s = time.time() - t0
    del model; gc.collect()

    runs, table = [], [["task", "recipe", "seen", "unseen", "gap", "train s"]]
    add = lambda task, recipe, seen, unseen, secs: table.append([task, recipe, f"{seen:.3f}", f"{unseen:.3f}", f"{seen - unseen:+.3f}", secs])
    for g in groups:
        tasks = GROUPS[g]
        add(g, "base model", group_score(base["test_seen"], tasks), group_score(base["test_unseen"], tasks), "-")
        for name in recipes:
            recipe, lora, extras = resolve(name, args.steps)
            out = runs_dir / f"{g}-{name}"
            shutil.rmtree(out, ignore_errors=True); out.mkdir(parents=True)
            train_rows, val_rows = test(tasks, "train"), test(tasks, "validation")
            n_para, per_row = job_setting(extras, "paraphrase"), job_setting(extras, "steps_per_row")
            unseen_texts = {r["instruction"] for r in test(tasks, "test_unseen")}
            in_unseen = unseen_paraphrases(train_rows, n_para, recipe.seed, unseen_texts) if n_para else 0
            as_given = len(tasks) == 1 and args.max_rows is None
            train_file = data_dir / f"{tasks[0]}_train.jsonl" if as_given else chat_file(train_rows, out / "data" / "train.jsonl")
            val_file = data_dir / f"{tasks[0]}_validation.jsonl" if as_given else chat_file(val_rows, out / "data" / "validation.jsonl")
            job = TrainJob(model=model_name, data=str(train_file), eval=str(val_file), output_dir=str(out), max_new_tokens=args.max_new_tokens,
                           paraphrase=n_para, steps_per_row=per_row)   # exactly `ftcourse train --data F --eval V --paraphrase N --steps-per-row K`
            print(f"\n== {g} / {name}: {len(train_rows)} training rows from {train_file}, +{n_para} paraphrases per row "
                  f"({in_unseen} equal an unseen wording)")
            result = train_job(job, recipe, lora, progress=not args.quiet)
            steps, secs = result.steps, result.train_seconds
            del result; gc.collect()
            model, tok = load_model(model_name, adapter=str(out / "final"), verbose=False, seed=recipe.seed)   # as `ftcourse eval --adapter`
            t0 = time.time()
            after = {s: score(model, tok, test(tasks, s)) for s in ("test_seen", "test_unseen")}
            eval_s = time.time() - t0
            del model; gc.collect()
            val = json.loads((out / "results.json").read_text())["scores"]
            seen, unseen = after["test_seen"].exact_match, after["test_unseen"].exact_match
            add(g, name, seen, unseen, f"{secs:.0f}")
            if len(tasks) > 1:
                for t in tasks: add(f"  {g}: {t}", name, after["test_seen"].per_task[t], after["test_unseen"].per_task[t], "")
            runs.append(dict(
                group=g, tasks=list(tasks), recipe=name, settings=dict(recipe=dataclasses.asdict(recipe), lora=dataclasses.asdict(lora), **extras),
                train_file=str(train_file), eval_file=str(val_file), train_rows=len(train_rows), paraphrases=n_para, steps_per_row=per_row, paraphrases_equal_to_unseen=in_unseen,
                train_rows_with_paraphrases=json.loads((out / "history.json").read_text())["train_rows"],
                steps=steps, train_seconds=round(secs, 1), test_eval_seconds=round(eval_s, 1), output_dir=str(out),
                before=dict(seen=group_score(base["test_seen"], tasks), unseen=group_score(base["test_unseen"], tasks)),
                after=dict(seen=seen, unseen=unseen, gap=seen - unseen,
                           per_task={t: dict(seen=after["test_seen"].per_task[t], unseen=after["test_unseen"].per_task[t]) for t in tasks}),
                validation=dict(before=val["before"]["exact_match"], after=val["after"]["exact_match"]),
                examples={s: after[s].examples for s in after}))

    text = text_table(table, "llrrrr")
    print(f"\nexact match on test_seen (training wordings) and test_unseen (the same inputs, wordings never trained on); {model_name}\n{text}")
    path = Path(args.out) if args.out != "auto" else ROOT / "benchmarks" / "results" / f"own_data_{hardware_slug(hardware)}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(
        benchmark="own_data", hardware=hardware, date=datetime.datetime.now().isoformat(timespec="seconds"), model=model_name,
        args=vars(args), recipes={r: describe(r, args.steps) for r in recipes}, data_dir=str(data_dir),
        test_rows={t: {s: len(splits[t, s]) for s in ("test_seen", "test_unseen")} for t in tasks_needed},
        base=dict(per_task={t: dict(seen=base["test_seen"].per_task.get(t), unseen=base["test_unseen"].per_task.get(t)) for t in tasks_needed},
                  eval_seconds=round(base_eval_s, 1)),
        runs=runs, table=text, total_seconds=round(time.time() - started, 1)), indent=1, ensure_ascii=False))
    print(f"wrote {path}")
    return 0

if __name__ == "__main__":
    sys.exit(main())

"""Time to accuracy: the training wall time the quickstart's task needs to reach a held-out exact match, recipes side by side.

    python benchmarks/time_to_accuracy.py                         # the embedded SmolLM2-135M, fp32, LoRA, every recipe
    python benchmarks/time_to_accuracy.py --recipes default,combined
    python benchmarks/time_to_accuracy.py --model tiny-random --max-steps 4 --eval-every 2 --eval-rows 8 --test-rows 8 --out /tmp/t.json

The task is the quickstart's: the `date` rows of the course's training split (400), LoRA. Each recipe trains in a
fresh process (its own threads and memory). A callback evaluates exact match every `--eval-every` optimizer steps (and
once before the first step) on a fixed held-out subset (the first `--eval-rows` date rows of `--eval-split`), greedy
and batched, asked in the same prompt format the recipe trains with; it stops training the first time exact match
reaches `--target`, or at the recipe's `max_steps`. The training clock runs from the trainer's first step and leaves out
every evaluation (model loading, tokenizing and wrapping the model in LoRA are outside it too). The model where training
stopped is then measured on the full held-out date test set (100 rows, 24 new tokens, as the quickstart does).

The same run measures the machine's fp32 matmul peak (best of a few timed `torch.mm` on square matrices) with the
thread count the recipes use, before and after the recipes, and reports each recipe's achieved FLOP/s as a fraction
of it. FLOPs are model FLOPs per real (non-padding) token, the same for every recipe, so the rate is a rate of useful
work: padding, recomputation and logits nobody needs are not credited. N is the base model's parameter count, each
tensor counted once (a tied embedding counts once, as the LM head: the lookup is free). LoRA: 2N forward + 2N for the
backward through the frozen weights (input gradients only) + 6 per adapter parameter; full fine-tuning: 6N. The
attention's score/value products (about 4 x layers x length x hidden per token, a few % at these lengths) are left out.

Recipes (RECIPES below; each a name -> settings, applied over today's `SFTRecipe()` + `LoraSettings()`):
  trl-head           the library's default until 2026-12-06 (the first stored run calls it "default"): the course's
                     system prompt, random batches padded to their longest row, TRL 1.16's fused LM head (on CPU it
                     projects every position, in tiles, and also computes the entropy and top-1 of every position for
                     its metrics), no gradient checkpointing, all cores
  default            today's library default: the same, with the LM head applied to the completion positions only
                     (`SFTRecipe.completion_logits`, `ftcourse.loop.completion_loss_trainer`: hidden states sliced with
                     a boolean `logits_to_keep` before the LM head, cross-entropy on those only; the same loss, checked
                     here by `--check-loss` and in chapter 02). The first stored run measured it as "completion-logits"
  no-system          no system turn at all, in training and evaluation. SmolLM2's chat template inserts its own
                     default system prompt ("You are a helpful AI assistant named SmolLM, ...") when the messages
                     have none, so `system=None` alone makes rows 3 tokens longer, not ~18 shorter: this recipe also
                     swaps in the plain ChatML template (identical but for that implicit system turn)
  group-by-length    batches of similar lengths: less padding
  padding-free       rows of a batch concatenated into one sequence without padding; transformers 5 derives a
                     block-diagonal mask from the position ids, so rows do not attend to each other with SDPA either
  lr-1e-3            learning rate 1e-3 instead of 5e-4
  b4-lr-1e-3         batches of 4 at 1e-3: half the work per step
  threads-1          one torch thread
  combined           the changes that remove work together (no-system + lr 1e-3, over the default)
Every recipe but trl-head includes the default's completion-only LM head. The speed-up column is against the first
recipe of the run that reached the target.
"""
import argparse, dataclasses, datetime, json, os, platform, subprocess, sys, tempfile, time
from pathlib import Path

RECIPES = {
    "trl-head": dict(completion_logits=False),   # the library's default until 2026-12-06 (first stored run: its "default")
    "default": {},
    "no-system": dict(system="none"),
    "group-by-length": dict(group_by_length=True),
    "padding-free": dict(padding_free=True),
    "lr-1e-3": dict(learning_rate=1e-3),
    "b4-lr-1e-3": dict(batch_size=4, learning_rate=1e-3),
    "threads-1": dict(threads=1),
    "combined": dict(system="none", learning_rate=1e-3),
}
EXTRA_KEYS = dict(system="course", padding_free=False, threads=None)  # not SFTRecipe/LoraSettings fields
TASKS = ("date",)              # the quickstart's task
FINAL_MAX_NEW_TOKENS = 24      # the quickstart's QuickstartConfig.max_new_tokens

def resolve(name: str, max_steps: int | None = None) -> tuple:
    "`(SFTRecipe, LoraSettings, extras)` of recipe `name`: its settings over today's defaults; `max_steps` overrides the recipe's."
    from ftcourse.env import FtcourseError
    from ftcourse.loop import recipe_and_lora
    spec = dict(RECIPES[name])
    if max_steps: spec["max_steps"] = max_steps
    extras = {k: spec.pop(k, v) for k, v in EXTRA_KEYS.items()}
    try: recipe, lora = recipe_and_lora(spec)
    except FtcourseError as e: raise SystemExit(f"recipe {name}: {e}")
    return recipe, lora, extras

def describe(name: str, max_steps: int | None = None) -> str:
    "One line: what recipe `name` runs."
    recipe, lora, x = resolve(name, max_steps)
    return (f"{name}: {recipe.method} r={lora.lora_r} alpha={lora.alpha}, lr {recipe.learning_rate:g} {recipe.scheduler}, "
            f"{recipe.max_steps} steps of {recipe.batch_size}, system {x['system']}, "
            f"{'completion-only' if recipe.completion_logits else 'all-position (TRL fused)'} LM head, "
            f"{'padding-free' if x['padding_free'] else 'length-grouped' if recipe.group_by_length else 'random padded'} batches, "
            f"gradient checkpointing {'on' if recipe.gradient_checkpointing else 'off'}, threads {x['threads'] or 'all'}")

# ---------------------------------------------------------------- the machine's matmul peak
def matmul_peak(threads: int, sizes=(1024, 1536, 2048), reps: int = 5) -> dict:
    "Best fp32 `torch.mm` rate (GFLOP/s) on square matrices of `sizes` with `threads` torch threads, after a warm-up."
    import torch
    old = torch.get_num_threads(); torch.set_num_threads(threads)
    try:
        best = {}
        for n in sizes:
            a, b = torch.randn(n, n), torch.randn(n, n); c = torch.empty(n, n)
            torch.mm(a, b, out=c)                                    # warm-up
            times = []
            for _ in range(reps):
                t = time.perf_counter(); torch.mm(a, b, out=c); times.append(time.perf_counter() - t)
            best[n] = 2 * n ** 3 / min(times) / 1e9
        return dict(threads=threads, gflops=max(best.values()), by_size={str(k): round(v, 1) for k, v in best.items()})
    finally: torch.set_num_threads(old)

# ---------------------------------------------------------------- the trainer: token counts, completion-only logits
def trainer_class(completion_logits: bool = True, padding_free: bool = False, counts: dict | None = None):
    "The library's trainer (`ftcourse.loop.completion_loss_trainer()`, or TRL's `SFTTrainer` without `completion_logits`), counting the tokens it trains on into `counts`; padding-free if asked."
    from trl import SFTTrainer
    from ftcourse.loop import completion_loss_trainer
    counts = counts if counts is not None else {}
    parent = completion_loss_trainer() if completion_logits else SFTTrainer

    class BenchSFTTrainer(parent):
        def __init__(self, *a, args=None, **kw):
            if padding_free:
                args.padding_free = True
                args.max_length = None      # TRL does not truncate padding-free rows; the date rows are < 100 tokens
            super().__init__(*a, args=args, **kw)

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            if self.model.training:
                ids = inputs["input_ids"]
                real = int(inputs["attention_mask"].sum()) if "attention_mask" in inputs else ids.numel()  # padding-free: all real
                for k, v in (("real_tokens", real), ("padded_tokens", ids.numel()),
                             ("completion_tokens", int((inputs["labels"][:, 1:] != -100).sum())), ("micro_batches", 1)):
                    counts[k] = counts.get(k, 0) + v
            return super().compute_loss(model, inputs, return_outputs=return_outputs, num_items_in_batch=num_items_in_batch)
    return BenchSFTTrainer

def system_for(extras: dict, tokenizer) -> tuple:
    "`(system prompt, note)` for the recipe; for 'none', remove any system turn the chat template would add by itself."
    from ftcourse.loop import DEFAULT_SYSTEM_PROMPT
    from ftcourse.models import CHATML_TEMPLATE
    if extras["system"] == "course": return DEFAULT_SYSTEM_PROMPT, "the course's system prompt"
    probe = tokenizer.apply_chat_template([{"role": "user", "content": "x"}], tokenize=False)
    if "system" in probe:
        tokenizer.chat_template = CHATML_TEMPLATE
        return None, "none (the model's template adds a default system turn when there is none: plain ChatML swapped in)"
    return None, "none"

# ---------------------------------------------------------------- one recipe, in this process
def parameter_count(model) -> int:
    "Parameters of the base model (the adapter's excluded), each tensor once."
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    seen = {}
    for n, p in base.named_parameters(remove_duplicate=True):
        if "lora_" not in n: seen[id(p)] = p.numel()
    return sum(seen.values())

def flops_per_token(n_base: int, n_trainable: int, method: str) -> int:
    "Model FLOPs per trained token: LoRA 4N (2N forward, 2N input gradients through the frozen weights) + 6 per adapter parameter; full 6N."
    return 6 * n_base if method == "full" else 4 * n_base + 6 * n_trainable

def quiet():
    import warnings, transformers, datasets
    warnings.filterwarnings("ignore"); transformers.logging.set_verbosity_error(); datasets.disable_progress_bars()

def run_one(name: str, args) -> dict:
    "Train recipe `name` in this process until the target or its last step; return its figures."
    from transformers import TrainerCallback
    from ftcourse.env import set_cpu_threads, seed_everything
    from ftcourse.models import load_model
    from ftcourse.loop import load_task_split, train_sft
    from ftcourse.evaluation import evaluate_generation
    quiet()
    recipe, lora, extras = resolve(name, args.max_steps)
    threads = set_cpu_threads(extras["threads"]); seed_everything(recipe.seed)
    t_load = time.perf_counter()
    model, tok = load_model(args.model, seed=recipe.seed, verbose=False)
    load_seconds = time.perf_counter() - t_load
    system, system_note = system_for(extras, tok)
    train = load_task_split("train", tasks=TASKS)
    held = load_task_split(args.eval_split, tasks=TASKS)[:args.eval_rows]
    test = load_task_split("test", tasks=TASKS)[:args.test_rows]
    n_base = parameter_count(model)
    log = lambda msg: print(f"  [{name}] {msg}", file=sys.stderr, flush=True)
    curve, clock = [], dict(t0=None, eval_seconds=0.0, reached=None)

    class EvalEvery(TrainerCallback):
        "Exact match on the held-out subset every `eval_every` steps (and before the first); its time is off the training clock."
        def evaluate(self, model, step, train_seconds):
            t = time.perf_counter()
            em = evaluate_generation(model, tok, held, system=system, max_new_tokens=args.max_new_tokens,
                                     batch_size=args.eval_batch_size).exact_match
            seconds = time.perf_counter() - t
            curve.append(dict(step=step, train_seconds=round(train_seconds, 2), exact_match=em, eval_seconds=round(seconds, 2)))
            log(f"step {step:>3}: {train_seconds:6.1f} s training, held-out exact match {em:.2f} ({seconds:.1f} s to evaluate)")
            return em, seconds

        def on_train_begin(self, a, state, control, model=None, **kw):
            clock["n_trainable"] = sum(p.numel() for p in model.parameters() if p.requires_grad)
            clock["gradient_checkpointing"] = bool(a.gradient_checkpointing)
            em, _ = self.evaluate(model, 0, 0.0)
            if em >= args.target - 1e-9: clock["reached"] = dict(step=0, train_seconds=0.0, exact_match=em)
            clock["t0"] = time.perf_counter()
            if clock["reached"]: control.should_training_stop = True

        def on_step_end(self, a, state, control, model=None, **kw):
            step = state.global_step
            if clock["reached"] is not None:        # reached before the first step: the trainer runs one step regardless
                control.should_training_stop = True; return
            if step % args.eval_every and step < state.max_steps: return
            train_seconds = time.perf_counter() - clock["t0"] - clock["eval_seconds"]
            em, seconds = self.evaluate(model, step, train_seconds)
            clock["eval_seconds"] += seconds
            if em >= args.target - 1e-9 and clock["reached"] is None:
                clock["reached"] = dict(step=step, train_seconds=round(train_seconds, 2), exact_match=em)
                control.should_training_stop = True

        def on_train_end(self, a, state, control, **kw):
            clock["train_seconds"] = time.perf_counter() - clock["t0"] - clock["eval_seconds"]
            clock["steps"] = state.global_step

    counts = {}
    cls = trainer_class(recipe.completion_logits, extras["padding_free"], counts)
    log(describe(name, args.max_steps) + f"; {system_note}")
    with tempfile.TemporaryDirectory() as out:
        result = train_sft(model, tok, train, recipe, output_dir=out, system=system, progress=False,
                           peft_config=lora if recipe.method == "lora" else None, callbacks=[EvalEvery()], trainer_class=cls)
    t = time.perf_counter()
    final = evaluate_generation(result.model, tok, test, system=system, max_new_tokens=FINAL_MAX_NEW_TOKENS,
                                batch_size=args.eval_batch_size).exact_match
    final_seconds = time.perf_counter() - t
    secs = clock["train_seconds"]
    fpt = flops_per_token(n_base, clock["n_trainable"], recipe.method)
    real, padded = counts.get("real_tokens", 0), counts.get("padded_tokens", 0)
    import resource
    return dict(recipe=name, settings=RECIPES[name], described=describe(name, args.max_steps), system=system_note,
                sft_recipe=dataclasses.asdict(recipe), lora=dataclasses.asdict(lora), extras=extras, threads=threads,
                gradient_checkpointing=clock["gradient_checkpointing"],
                reached=clock["reached"] is not None, steps_to_target=(clock["reached"] or {}).get("step"),
                seconds_to_target=(clock["reached"] or {}).get("train_seconds"), curve=curve,
                steps=clock["steps"], train_seconds=round(secs, 2), eval_seconds=round(clock["eval_seconds"], 2),
                load_seconds=round(load_seconds, 2), final_exact_match=final, final_rows=len(test),
                final_eval_seconds=round(final_seconds, 2), real_tokens=real, padded_tokens=padded,
                completion_tokens=counts.get("completion_tokens", 0), tokens_per_s=real / secs if secs else None,
                parameters=n_base, trainable_parameters=clock["n_trainable"], flops_per_token=fpt,
                achieved_gflops=fpt * real / secs / 1e9 if secs else None,
                padded_gflops=fpt * padded / secs / 1e9 if secs else None,
                losses=result.losses, peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

# ---------------------------------------------------------------- the completion-only loss equals the ordinary one
def check_completion_loss(model_name: str, rows: int = 8, system: str = "course") -> dict:
    "On one batch of the task: the loss and adapter gradients of TRL's compute_loss, of the library's completion-only one, and transformers' ordinary full-logits loss."
    import torch
    from trl import SFTTrainer
    from datasets import Dataset
    from ftcourse.env import seed_everything
    from ftcourse.models import load_model
    from ftcourse.loop import SFTRecipe, LoraSettings, load_task_split, sft_config, to_prompt_completion
    quiet(); seed_everything(0)
    model, tok = load_model(model_name, verbose=False)
    sys_prompt, _ = system_for(dict(system=system), tok)
    data = Dataset.from_list([to_prompt_completion(r, sys_prompt) for r in load_task_split("train", tasks=TASKS)[:rows]])
    with tempfile.TemporaryDirectory() as out:
        trainer = trainer_class(completion_logits=True)(model=model, args=sft_config(SFTRecipe(max_steps=1, batch_size=rows), out, progress=False),
                                                         train_dataset=data, processing_class=tok, peft_config=LoraSettings().peft_config())
        pm = trainer.model
        with torch.no_grad():       # LoRA's B starts at zero: give it values so that the adapter path (and A's gradient) counts
            for n, p in pm.named_parameters():
                if "lora_B" in n: p.normal_(0, 0.02)
        batch = trainer._prepare_inputs(next(iter(trainer.get_train_dataloader())))
        n_items = (batch["labels"][:, 1:] != -100).sum()
        pm.train(); losses, grads = {}, {}
        for kind, compute in (("trl", SFTTrainer.compute_loss), ("completion_only", type(trainer).compute_loss)):
            pm.zero_grad()
            loss = compute(trainer, pm, dict(batch), num_items_in_batch=n_items)
            loss.backward()
            losses[kind] = loss.item()
            grads[kind] = {n: p.grad.detach().clone() for n, p in pm.named_parameters() if p.requires_grad}
        with torch.no_grad():
            losses["transformers_full_logits"] = pm(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                                                    labels=batch["labels"], use_cache=False).loss.item()
    g_a, g_b = grads["trl"], grads["completion_only"]
    num = sum(float((g_a[n] - g_b[n]).pow(2).sum()) for n in g_a) ** 0.5
    den = sum(float(g_a[n].pow(2).sum()) for n in g_a) ** 0.5
    return dict(model=model_name, rows=rows, loss=losses, positions=int(batch["input_ids"].numel()), completion_positions=int(n_items),
                loss_rel_diff=abs(losses["trl"] - losses["completion_only"]) / abs(losses["trl"]),
                grad_rel_diff=num / max(den, 1e-30), grad_norm=den)

# ---------------------------------------------------------------- the side-by-side run
def host_kind() -> str:
    from ftcourse.env import hardware_slug
    return hardware_slug()

def child(args, *extra, threads=None):
    "Run this script with `extra` (a mode) in a fresh process; stream its stderr; return (parsed tagged JSON line or None, stderr tail)."
    cmd = [sys.executable, __file__, *extra, "--model", args.model, "--eval-split", args.eval_split, "--eval-rows", str(args.eval_rows),
           "--test-rows", str(args.test_rows), "--eval-every", str(args.eval_every), "--target", str(args.target),
           "--max-new-tokens", str(args.max_new_tokens), "--eval-batch-size", str(args.eval_batch_size)]
    if args.max_steps: cmd += ["--max-steps", str(args.max_steps)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    if threads: env["OMP_NUM_THREADS"] = str(threads)
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    tail = []
    for line in p.stderr:
        tail = (tail + [line])[-40:]
        if line.startswith("  [") and not args.quiet: print(line, end="", file=sys.stderr, flush=True)
    stdout = p.stdout.read(); p.wait()
    line = next((l for l in stdout.splitlines() if l.startswith("RESULT ")), None)
    return (json.loads(line[7:]) if line and p.returncode == 0 else None), "".join(tail)

def fmt_table(rows, peak: float) -> str:
    from ftcourse.env import text_table
    base = next((r for r in rows if not r.get("failed") and r["reached"]), None)   # the first recipe that reached the target
    out = [("recipe", "to target (s)", "steps", f"x {base['recipe'] if base else 'first'}", "final EM", "tokens/s", "pad %", "GFLOP/s", "% peak")]
    for r in rows:
        if r.get("failed"):
            out.append((r["recipe"], "failed", "", "", "", "", "", "", "")); continue
        hit = r["reached"]
        out.append((r["recipe"], f"{r['seconds_to_target']:.1f}" if hit else f"not reached in {r['steps']} steps",
                    str(r["steps_to_target"]) if hit else "",
                    f"{base['seconds_to_target'] / r['seconds_to_target']:.2f}" if hit and base and r["seconds_to_target"] else "",
                    f"{r['final_exact_match']:.2f}", f"{r['tokens_per_s']:.0f}" if r["tokens_per_s"] else "",
                    f"{100 * (1 - r['real_tokens'] / r['padded_tokens']):.0f}" if r["padded_tokens"] else "",
                    f"{r['achieved_gflops']:.1f}" if r["achieved_gflops"] else "",
                    f"{100 * r['achieved_gflops'] / peak:.0f}" if r["achieved_gflops"] else ""))
    return text_table(out, "lrrrrrrrr")

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="smollm2-135m")
    p.add_argument("--recipes", default=None, help=f"comma-separated subset of: {', '.join(RECIPES)}")
    p.add_argument("--target", type=float, default=0.90, help="held-out exact match to reach")
    p.add_argument("--eval-every", type=int, default=4, help="optimizer steps between evaluations")
    p.add_argument("--eval-split", default="validation", choices=("validation", "test"), help="split of the fixed subset the target is checked on")
    p.add_argument("--eval-rows", type=int, default=50, help="rows of the fixed subset (the first N date rows of --eval-split)")
    p.add_argument("--test-rows", type=int, default=100, help="date test rows of the final exact match (100: all)")
    p.add_argument("--max-new-tokens", type=int, default=16, help="new tokens per answer in the evaluations during training (an ISO date is 11)")
    p.add_argument("--eval-batch-size", type=int, default=32)
    p.add_argument("--max-steps", type=int, default=None, help="override every recipe's max_steps (its schedule length and the cap)")
    p.add_argument("--peak-sizes", default="1024,1536,2048", help="square matmul sizes of the peak measurement")
    p.add_argument("--peak-reps", type=int, default=5)
    p.add_argument("--out", default=None, help="JSON of everything (default: benchmarks/results/time_to_accuracy_<host kind>.json)")
    p.add_argument("--quiet", action="store_true", help="do not stream each recipe's progress")
    p.add_argument("--check-loss", action="store_true", help="only compare the completion-only loss with TRL's and transformers' on one batch")
    p.add_argument("--one", default=None, help=argparse.SUPPRESS)            # internal: run one recipe, print RESULT {json}
    p.add_argument("--loss-check-only", action="store_true", help=argparse.SUPPRESS)  # internal: print RESULT {json} of the check
    args = p.parse_args()
    if args.one:
        print("RESULT " + json.dumps(run_one(args.one, args)), flush=True); return
    if args.loss_check_only:
        print("RESULT " + json.dumps(check_completion_loss(args.model)), flush=True); return
    if args.check_loss:
        r, tail = child(args, "--loss-check-only")
        if r is None: sys.exit(f"loss check failed\n{tail}")
        print(json.dumps(r, indent=1)); return

    names = args.recipes.split(",") if args.recipes else list(RECIPES)
    if unknown := [n for n in names if n not in RECIPES]: sys.exit(f"unknown recipe(s) {unknown}: choose from {', '.join(RECIPES)}")
    from ftcourse.env import set_cpu_threads, hardware_summary
    threads = set_cpu_threads()
    sizes = tuple(int(s) for s in args.peak_sizes.split(","))
    all_threads = sorted({threads} | {resolve(n)[2]["threads"] or threads for n in names}, reverse=True)
    peaks_before = {t: matmul_peak(t, sizes, args.peak_reps) for t in all_threads}
    hardware = hardware_summary()
    print(hardware, flush=True)
    print(f"fp32 matmul peak ({threads} threads, best of {args.peak_reps} torch.mm at {args.peak_sizes}): "
          f"{peaks_before[threads]['gflops']:.1f} GFLOP/s" +
          "".join(f"; {t} thread{'s' * (t > 1)}: {peaks_before[t]['gflops']:.1f}" for t in all_threads if t != threads), flush=True)
    print(f"{args.model}, LoRA, fp32; task {','.join(TASKS)}; target exact match {args.target:.2f} on the first {args.eval_rows} "
          f"{args.eval_split} rows, checked every {args.eval_every} steps; final on {args.test_rows} test rows", flush=True)
    for n in names: print("  " + describe(n, args.max_steps), flush=True)

    loss_check = None
    if any(resolve(n)[0].completion_logits for n in names):
        loss_check, tail = child(args, "--loss-check-only")
        if loss_check is None: print(f"loss check failed\n{tail}", flush=True)
        else: print(f"completion-only loss {loss_check['loss']['completion_only']:.6f} vs TRL's {loss_check['loss']['trl']:.6f} "
                    f"(relative difference {loss_check['loss_rel_diff']:.1e}; adapter gradients {loss_check['grad_rel_diff']:.1e}); "
                    f"transformers' full-logits loss {loss_check['loss']['transformers_full_logits']:.6f}", flush=True)

    rows = []
    for name in names:
        t = time.perf_counter()
        r, tail = child(args, "--one", name, threads=resolve(name)[2]["threads"])
        if r is None:
            print(f"{name}: failed\n{tail}", flush=True); rows.append(dict(recipe=name, failed=True, stderr_tail=tail[-3000:])); continue
        r["process_seconds"] = round(time.perf_counter() - t, 1)
        rows.append(r)
        print(f"{name}: " + (f"{args.target:.2f} reached at step {r['steps_to_target']} after {r['seconds_to_target']:.1f} s of training"
                             if r["reached"] else f"{args.target:.2f} not reached in {r['steps']} steps ({r['train_seconds']:.1f} s of training)")
              + f"; final exact match {r['final_exact_match']:.2f} on {r['final_rows']} test rows; process {r['process_seconds']:.0f} s", flush=True)

    peaks_after = {t: matmul_peak(t, sizes, args.peak_reps) for t in all_threads}
    peak = max(peaks_before[threads]["gflops"], peaks_after[threads]["gflops"])
    for r in rows:
        if not r.get("failed") and r["achieved_gflops"]:
            r["pct_of_peak"] = 100 * r["achieved_gflops"] / peak
            own = max(peaks_before[r["threads"]]["gflops"], peaks_after[r["threads"]]["gflops"]) if r["threads"] in peaks_before else None
            r["pct_of_own_thread_peak"] = 100 * r["achieved_gflops"] / own if own else None
    print()
    print(fmt_table(rows, peak))
    print(f"\n{hardware}")
    print(f"fp32 matmul peak, {threads} threads: {peak:.1f} GFLOP/s (before the recipes {peaks_before[threads]['gflops']:.1f}, "
          f"after {peaks_after[threads]['gflops']:.1f})")
    base = next((r for r in rows if r["recipe"] == "default" and not r.get("failed")), None)
    if base: print(f"default (the library's): time to {args.target:.2f} " + (f"{base['seconds_to_target']:.1f} s" if base["reached"] else f"not reached in {base['steps']} steps"))
    ok = [r for r in rows if not r.get("failed") and r["reached"]]
    if ok:
        best = min(ok, key=lambda r: r["seconds_to_target"])
        print(f"fastest to {args.target:.2f}: {best['recipe']}, {best['seconds_to_target']:.1f} s ({best['steps_to_target']} steps), final exact match {best['final_exact_match']:.2f}")
    print("to target: training seconds until the held-out subset first reached the target (evaluations off the clock); "
          "GFLOP/s: model FLOPs (LoRA 4N + 6 x adapter parameters per real token, N = base parameters) over training seconds; "
          "% peak: of the fp32 matmul peak above; pad %: padding in the computed tokens.")

    out = Path(args.out) if args.out else Path(__file__).parent / "results" / f"time_to_accuracy_{host_kind()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(dict(
        hardware=hardware, host=platform.node(), model=args.model, tasks=list(TASKS), threads=threads,
        date=datetime.datetime.now().isoformat(timespec="seconds"), args=vars(args),
        peak=dict(gflops=peak, threads=threads, before=peaks_before, after=peaks_after),
        flops_counting="model FLOPs per real (non-padding) token: LoRA 4N + 6 x trainable adapter parameters (2N forward, 2N input "
                       "gradients through the frozen weights), full fine-tuning 6N; N = base model parameters, tied tensors once; "
                       "attention score products left out; the same per token for every recipe",
        loss_check=loss_check, recipes=rows), indent=1))
    print(f"wrote {out}")

if __name__ == "__main__":
    main()

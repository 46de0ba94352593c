"""Training throughput and peak memory: a plain recipe against tuned ones, side by side in one run.

    python benchmarks/train_throughput.py                 # CPU: the embedded SmolLM2-135M, LoRA
    python benchmarks/train_throughput.py --gpu           # GPU: the TinyLlama-1.1B architecture, random weights, QLoRA

Each recipe trains for a few steps in a fresh subprocess (so peak memory is its own) on the same rows
of the course's training data. Tokens/s counts real (non-padding) tokens (TRL's `num_tokens`) over
the whole run's training time. Prints a table and the ratio to the plain recipe.

Recipes (CPU):
  plain    eager attention, random batches padded to their longest row
  sdpa     PyTorch's scaled-dot-product attention kernel
  grouped  sdpa + batches of similar lengths (less padding)
  packed   sdpa + rows concatenated to full-length sequences (no padding at all). Caveat: without
           FlashAttention the packed rows can attend to each other; the throughput is real, the
           training signal is slightly contaminated.
On --gpu the model is the TinyLlama architecture built from its config with random weights (no
download), quantized to NF4 (QLoRA); tuned recipes add FlashAttention-2 and Liger kernels when
those packages are installed, and gradient checkpointing is on for all (as QLoRA recipes use it).
"""
import argparse, importlib.util, json, os, subprocess, sys, tempfile, time
from pathlib import Path

CPU_RECIPES = {
    "plain": dict(attn="eager"),
    "sdpa": dict(attn="sdpa"),
    "grouped": dict(attn="sdpa", group_by_length=True),
    "packed": dict(attn="sdpa", packing=True),
}
GPU_RECIPES = {
    "plain": dict(attn="eager", gradient_checkpointing=True),
    "sdpa": dict(attn="sdpa", gradient_checkpointing=True),
    "packed+flash+liger": dict(attn="flash_attention_2", packing=True, liger=True, gradient_checkpointing=True),
}
TINYLLAMA_CONFIG = dict(hidden_size=2048, intermediate_size=5632, num_hidden_layers=22, num_attention_heads=32,
                        num_key_value_heads=4, max_position_embeddings=2048, rms_norm_eps=1e-5)

def tinyllama_random_checkpoint(tokenizer, folder: Path) -> Path:
    "Save the TinyLlama-1.1B architecture with random weights (sized for `tokenizer`) in `folder`, once."
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    if (folder / "config.json").exists(): return folder
    config = LlamaConfig(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
                         bos_token_id=tokenizer.bos_token_id, **TINYLLAMA_CONFIG)
    torch.manual_seed(0)
    LlamaForCausalLM(config).to(torch.bfloat16).save_pretrained(folder); tokenizer.save_pretrained(folder)
    return folder

def run_one(name: str, spec: dict, args) -> dict:
    "Train one recipe in this process and return its figures."
    import torch
    from transformers import TrainerCallback
    from ftcourse.env import set_cpu_threads, seed_everything
    from ftcourse.models import load_model, EMBEDDED_MODEL
    from ftcourse.loop import load_task_split
    from ftcourse.loop import SFTRecipe, train_sft
    set_cpu_threads(); seed_everything(0)
    if args.gpu:
        if args.tokenizer:
            from transformers import AutoTokenizer
            from ftcourse.models import ensure_pad_token
            tok = AutoTokenizer.from_pretrained(args.tokenizer); ensure_pad_token(tok)
        else: _, tok = load_model(EMBEDDED_MODEL, verbose=False)
        if spec["attn"] == "flash_attention_2" and importlib.util.find_spec("flash_attn") is None:
            spec = {**spec, "attn": "sdpa"}        # FlashAttention-2 is a separate package; without it, PyTorch's SDPA
        ckpt = tinyllama_random_checkpoint(tok, Path(args.cache) / "tinyllama-arch-random")
        model, tokenizer = load_model(str(ckpt), precision="nf4", attn_implementation=spec["attn"], verbose=False)
    else:
        model, tokenizer = load_model(args.model, attn_implementation=spec["attn"], verbose=False)
    rows = load_task_split("train")[:args.rows]   # all four tasks: a mix of lengths
    marks = {}
    class TokenCounter(TrainerCallback):
        def on_log(self, a, state, control, logs=None, **kw):
            if logs and "num_tokens" in logs: marks["tokens"] = float(logs["num_tokens"])
    if spec.get("liger"):
        try: import liger_kernel  # noqa: F401
        except ImportError: spec = {**spec, "liger": False}
    recipe = SFTRecipe(max_steps=args.steps, batch_size=args.batch_size, max_length=args.max_length,
                       group_by_length=spec.get("group_by_length", False), packing=spec.get("packing", False),
                       gradient_checkpointing=spec.get("gradient_checkpointing", False), liger_kernel=spec.get("liger", False))
    with tempfile.TemporaryDirectory() as out:
        result = train_sft(model, tokenizer, rows, recipe, output_dir=out, progress=False, callbacks=[TokenCounter()])
    import resource
    peak_mb = (torch.cuda.max_memory_allocated() / 2**20) if torch.cuda.is_available() else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return dict(recipe=name, steps=result.steps, seconds=result.train_seconds, tokens=marks.get("tokens", 0.0),
                peak_mb=peak_mb, liger=bool(spec.get("liger")), attn=spec["attn"])

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gpu", action="store_true", help="TinyLlama architecture with QLoRA on CUDA")
    p.add_argument("--model", default="smollm2-135m")
    p.add_argument("--recipes", default=None, help="comma-separated subset of the recipes")
    p.add_argument("--steps", type=int, default=8)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--rows", type=int, default=256)
    p.add_argument("--max-length", type=int, default=256)
    p.add_argument("--tokenizer", default=None, help="--gpu: tokenizer folder for the random model (default: the embedded SmolLM2's)")
    p.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "ftcourse-bench"))
    p.add_argument("--one", default=None, help=argparse.SUPPRESS)   # internal: run one recipe and print JSON
    args = p.parse_args()
    recipes = GPU_RECIPES if args.gpu else CPU_RECIPES
    if args.one:
        print("RESULT " + json.dumps(run_one(args.one, recipes[args.one], args)), flush=True); return
    if args.gpu:
        import torch
        if not torch.cuda.is_available(): sys.exit("--gpu: torch sees no CUDA GPU")
    names = args.recipes.split(",") if args.recipes else list(recipes)
    from ftcourse.env import hardware_summary
    print(f"{hardware_summary()}; {'TinyLlama-1.1B architecture (random weights), NF4 QLoRA' if args.gpu else args.model + ', LoRA r=8, fp32'}; "
          f"{args.steps} steps of batch {args.batch_size}, max length {args.max_length}", flush=True)
    rows = []
    for name in names:
        cmd = [sys.executable, __file__, "--one", name, "--steps", str(args.steps), "--batch-size", str(args.batch_size),
               "--rows", str(args.rows), "--max-length", str(args.max_length), "--model", args.model, "--cache", args.cache] + (["--tokenizer", args.tokenizer] if args.tokenizer else [])
        if args.gpu: cmd.append("--gpu")
        out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
        line = next((l for l in out.stdout.splitlines() if l.startswith("RESULT ")), None)
        if line is None:
            print(f"{name}: failed\n{out.stderr[-1500:]}"); continue
        r = json.loads(line[7:]); rows.append(r)
        if r["attn"] != recipes[name]["attn"]:      # say what really ran: no flash-attn package means PyTorch's SDPA
            r["recipe"] = name.replace("flash", r["attn"])
        print(f"  {name}: {r['tokens'] / r['seconds']:.0f} tokens/s, peak {r['peak_mb']:.0f} MB, attention {r['attn']}, "
              f"Liger {'on' if r['liger'] else 'off (not installed)' if recipes[name].get('liger') else 'off'}", flush=True)
    if not rows: sys.exit(1)
    base = next((r for r in rows if r["recipe"] == "plain"), rows[0])
    base_tps = base["tokens"] / base["seconds"]
    print(f"\n{'recipe':<20}{'tokens/s':>10}{'x plain':>9}{'s/step':>8}{'real tokens':>13}{'peak MB':>9}")
    for r in rows:
        tps = r["tokens"] / r["seconds"]
        print(f"{r['recipe']:<20}{tps:>10.0f}{tps / base_tps:>9.2f}{r['seconds'] / r['steps']:>8.2f}{r['tokens']:>13.0f}{r['peak_mb']:>9.0f}")
    print("\ntokens/s counts real (non-padding) tokens over the whole training time; peak MB is the "
          "process's max RSS on CPU, torch's max allocated memory on GPU.")

if __name__ == "__main__":
    main()

"""Quantized models on a CUDA GPU, side by side in one run: quantize time, generation speed and memory of
every format, and mixed-precision training (fp32, bf16 autocast, fp16 autocast with a loss scaler).

    python benchmarks/quant_gpu.py --json results.json                 # TinyLlama-1.1B architecture, random weights
    python benchmarks/quant_gpu.py --model runs/quant/finetuned ...    # a real checkpoint folder instead

Chapter 21 (nbs/21_gptq_awq.ipynb) measures quality (perplexity, exact match) on a CPU with the real
fine-tuned SmolLM2; this script measures what a GPU changes: time and memory. With the default model the
weights are random (the GPU machine it was written for has no network, so TinyLlama's weights cannot be
downloaded), which leaves speed and memory as they are and makes quality figures meaningless, so none are
printed. GPTQ/AWQ/RTN run through llm-compressor (`tools/quant/llmc_quantize.py`) in the Python named by
FTCOURSE_QUANT_PYTHON (default: this one), W4A16 with zero points and group size 128.

Phases, each printed as it starts: build (or take) the checkpoint, quantize, generate, train. Results are
written to --json after every phase, so a run cut short keeps what it measured.
"""
import argparse, json, os, sys, time, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_throughput import tinyllama_random_checkpoint  # noqa: E402

START = time.time()
def log(msg: str): print(f"[{time.time() - START:6.0f} s] {msg}", flush=True)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=None, help="checkpoint folder; default: TinyLlama-1.1B architecture with random weights")
    p.add_argument("--tokenizer", default=None, help="tokenizer folder for the random model (default: the embedded SmolLM2's)")
    p.add_argument("--methods", default="rtn,gptq,awq")
    p.add_argument("--group-size", type=int, default=128)
    p.add_argument("--calib-samples", type=int, default=128)
    p.add_argument("--max-len", type=int, default=256)
    p.add_argument("--new-tokens", type=int, default=64)
    p.add_argument("--batch", type=int, default=16, help="sequences generated together for the batched figure")
    p.add_argument("--rounds", type=int, default=3, help="timing rounds over all variants (the median is reported)")
    p.add_argument("--train-steps", type=int, default=8)
    p.add_argument("--train-batch", type=int, default=8)
    p.add_argument("--train-len", type=int, default=512, help="tokens per training sequence (packed chat rows)")
    p.add_argument("--train-rounds", type=int, default=2)
    p.add_argument("--phases", default="quantize,generate,train")
    p.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "ftcourse-quant-gpu"))
    p.add_argument("--json", default=None, help="write the results here")
    a = p.parse_args()

    import torch, warnings
    warnings.filterwarnings("ignore", message=".*MatMul8bitLt.*")   # bitsandbytes int8 says this on every call
    if not torch.cuda.is_available(): sys.exit("quant_gpu.py measures a CUDA GPU: torch sees none")
    os.environ.setdefault("FTCOURSE_QUANT_PYTHON", sys.executable)
    from importlib.metadata import version
    from transformers import AutoTokenizer
    from ftcourse.env import hardware_summary, seed_everything, package_version
    from ftcourse.models import load_model, EMBEDDED_MODEL, folder_bytes
    from ftcourse.loop import load_task_split
    from ftcourse.quant import quantize_in_venv, calibration_texts, generation_speed, model_bytes
    from ftcourse.qat import mixed_precision_run
    work = Path(a.work); work.mkdir(parents=True, exist_ok=True)
    phases = a.phases.split(",")
    res = dict(hardware=hardware_summary(), versions={k: package_version(k) for k in
               ("torch", "transformers", "bitsandbytes", "compressed-tensors", "llmcompressor", "peft")},
               cuda=torch.version.cuda, group_size=a.group_size, quantize={}, generate=[], train=[])
    def save():
        res["wall_seconds"] = round(time.time() - START, 1)
        if a.json: Path(a.json).write_text(json.dumps(res, indent=1))

    if a.model:
        ckpt, res["model"] = Path(a.model), a.model
    else:
        tok = AutoTokenizer.from_pretrained(a.tokenizer) if a.tokenizer else load_model(EMBEDDED_MODEL, verbose=False)[1]
        from ftcourse.models import ensure_pad_token; ensure_pad_token(tok)
        log("building the TinyLlama-1.1B architecture with random weights (bf16 checkpoint)")
        ckpt = tinyllama_random_checkpoint(tok, work / "tinyllama-arch-random")
        res["model"] = f"TinyLlama-1.1B architecture, random weights, vocabulary {len(tok):,} (SmolLM2's tokenizer)"
    res["checkpoint_mb"] = folder_bytes(ckpt) / 2**20
    log(f"{res['model']}; {res['hardware']}")
    tok = AutoTokenizer.from_pretrained(ckpt)

    quantized = {}
    if "quantize" in phases:
        calib = calibration_texts(load_task_split("train")[::3], tok, n=a.calib_samples, max_tokens=a.max_len)
        for method in a.methods.split(","):
            log(f"quantize {method} (llm-compressor, W4A16 g{a.group_size} zero point, {len(calib)} calibration texts)")
            r = quantize_in_venv(ckpt, work / method, method, calib, group_size=a.group_size, max_len=a.max_len, reuse=False)
            quantized[method] = r
            res["quantize"][method] = dict(seconds=r["quantize_seconds"], total_seconds=r.get("total_seconds"),
                                           disk_mb=folder_bytes(r["path"]) / 2**20, calibration_tokens=r["calibration_tokens"])
            log(f"  {method}: {r['quantize_seconds']:.1f} s to quantize ({r.get('total_seconds', 0):.0f} s with loading and saving)")
            save()

    if "generate" in phases:
        # every variant is loaded first and then timed in turn, round after round, so that a machine that
        # slows down or speeds up during the run affects all of them alike; the median of the rounds is reported
        loaders = [("fp32", lambda: load_model(str(ckpt), precision="fp32", verbose=False)),
                   ("bf16", lambda: load_model(str(ckpt), precision="bf16", verbose=False)),
                   ("fp16", lambda: load_model(str(ckpt), precision="fp16", verbose=False)),
                   ("bnb int8", lambda: load_model(str(ckpt), precision="int8", double_quant=False, compute_dtype="bf16", verbose=False)),
                   ("bnb nf4", lambda: load_model(str(ckpt), precision="nf4", double_quant=True, compute_dtype="bf16", verbose=False))]
        loaders += [(f"{m.upper()} int4", lambda r=r: load_model(r["path"], verbose=False)) for m, r in quantized.items()]
        models, rows = {}, {}
        for name, loader in loaders:
            before = torch.cuda.memory_allocated()
            try:
                t0 = time.time(); m, t = loader(); load_s = time.time() - t0
            except Exception as e:  # one format failing must not hide the others: say what failed
                rows[name] = dict(name=name, error=f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"); log(f"  {name}: {rows[name]['error']}"); continue
            models[name] = (m, t)
            rows[name] = dict(name=name, load_s=load_s, weights_mb=model_bytes(m) / 2**20, gpu_mb=(torch.cuda.memory_allocated() - before) / 2**20,
                              one=[], many=[], batch=a.batch, new_tokens=a.new_tokens)
            log(f"  loaded {name} in {load_s:.1f} s: {rows[name]['weights_mb']:.0f} MB of weights, {rows[name]['gpu_mb']:.0f} MB of GPU memory")
        for k in range(a.rounds):
            for name, (m, t) in models.items():
                rows[name]["one"].append(generation_speed(m, t, new_tokens=a.new_tokens))
                rows[name]["many"].append(generation_speed(m, t, new_tokens=a.new_tokens, batch=a.batch))
            log(f"  round {k + 1} of {a.rounds}: " + ", ".join(f"{n} {r['one'][-1]:.0f}" for n, r in rows.items() if "one" in r) + " tokens/s (1 sequence)")
        med = lambda v: sorted(v)[len(v) // 2]
        for name, (m, t) in models.items():
            r = rows[name]
            r.update(in_use_mb=model_bytes(m) / 2**20, tokens_per_s=med(r["one"]), batch_tokens_per_s=med(r["many"]))
        res["generate"] = list(rows.values()); res["rounds"] = a.rounds
        del models; torch.cuda.empty_cache(); save()
        for r in res["generate"]:
            if "error" in r: continue
            log(f"  {r['name']}: {r['tokens_per_s']:.1f} tokens/s (1 sequence; rounds {min(r['one']):.1f}-{max(r['one']):.1f}), "
                f"{r['batch_tokens_per_s']:.0f} tokens/s ({a.batch} sequences; {min(r['many']):.0f}-{max(r['many']):.0f}), "
                f"weights {r['weights_mb']:.0f} MB loaded / {r['in_use_mb']:.0f} MB in use")

    if "train" in phases:
        # full fine-tuning steps (AdamW, fp32 master weights) on packed chat rows of --train-len tokens: big enough
        # batches that the GPU, not Python's kernel launches, sets the pace; each precision twice, interleaved
        texts = calibration_texts(load_task_split("train"), tok, n=a.train_batch * a.train_steps, max_tokens=a.train_len)
        enc = tok(texts, return_tensors="pt", padding="max_length", truncation=True, max_length=a.train_len, add_special_tokens=False)
        enc["labels"] = enc["input_ids"].masked_fill(enc["attention_mask"] == 0, -100)
        batches = [{k: v[i:i + a.train_batch] for k, v in enc.items()} for i in range(0, len(texts) - a.train_batch + 1, a.train_batch)]
        res["train_tokens_per_step"] = int(batches[0]["attention_mask"].sum())
        res["matmul_fp32_precision"] = torch.get_float32_matmul_precision()
        for k in range(a.train_rounds):
            for precision in ("fp32", "bf16", "fp16"):
                torch.cuda.empty_cache(); seed_everything(0)
                m, _ = load_model(str(ckpt), precision="fp32", verbose=False)   # fp32 master weights; autocast does the rest
                r = mixed_precision_run(m, batches, precision, lr=2e-5); del m
                res["train"].append(dict(precision=precision, round=k + 1, seconds_per_step=r["seconds_per_step"], peak_mb=r["peak_gpu_mb"],
                                         activation_mb=r["activation_mb"], losses=r["losses"], loss_scale=r["scale"], steps=len(r["losses"])))
                save()
                log(f"  train {precision} (round {k + 1}): {r['seconds_per_step']:.3f} s/step, peak {r['peak_gpu_mb']:.0f} MB, activations "
                    f"{r['activation_mb']:.0f} MB, loss {r['losses'][0]:.4f} -> {r['losses'][-1]:.4f}"
                    + (f", loss scale {r['scale']:.0f}" if r["scale"] else ""))
    save()
    log("done")

if __name__ == "__main__":
    main()

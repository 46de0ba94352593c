"""GPTQ or AWQ (W4A16, int weights, group-wise) with llm-compressor, in its own virtualenv.

llm-compressor 0.14 pins transformers <= 5.17, so it cannot live in the course's .venv (transformers 5.23).
`ftcourse.gptq_awq.quantize_in_venv` runs this script with `.venv-quant/bin/python` (made by
tools/quant/setup_venv.sh) and reads back `result.json`. Stand-alone:

    .venv-quant/bin/python tools/quant/llmc_quantize.py --model DIR --out DIR --method gptq \
        --calib calib.json --group-size 64 [--asym] [--samples 64] [--max-len 256]

`calib.json` is a JSON list of strings (the course passes its own training rows in chat format).
The output folder is a compressed-tensors checkpoint (what vLLM loads) plus `result.json` with the
quantize time and the versions used.
"""
import argparse, json, os, sys, time
from pathlib import Path


def _cpu_awq_workaround():
    "llm-compressor's AWQ pins its cached activations for fast host-to-GPU copies; with no accelerator that raises: make it a no-op."
    import torch
    if torch.accelerator.is_available(): return False
    from llmcompressor.pipelines.cache import IntermediatesCache
    IntermediatesCache.pin_memory = lambda self, *a, **k: None
    return True


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", required=True, help="input checkpoint folder (safetensors)")
    p.add_argument("--out", required=True, help="output folder (compressed-tensors checkpoint)")
    p.add_argument("--method", choices=("gptq", "awq", "rtn"), required=True)
    p.add_argument("--calib", required=True, help="JSON list of calibration texts")
    p.add_argument("--bits", type=int, default=4)
    p.add_argument("--group-size", type=int, default=64)
    p.add_argument("--asym", action="store_true", help="asymmetric (zero point); default symmetric")
    p.add_argument("--samples", type=int, default=64, help="calibration sequences")
    p.add_argument("--max-len", type=int, default=256, help="tokens per calibration sequence")
    p.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS") or 0) or os.cpu_count())
    p.add_argument("--ignore", default="lm_head", help="comma-separated module names left unquantized")
    a = p.parse_args(argv)

    t_start = time.time()
    import torch, transformers, compressed_tensors, llmcompressor
    from importlib.metadata import version
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from compressed_tensors.quantization import QuantizationArgs, QuantizationScheme
    from llmcompressor import oneshot
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)

    tok = AutoTokenizer.from_pretrained(a.model)
    model = AutoModelForCausalLM.from_pretrained(a.model, dtype=torch.float32)
    texts = json.loads(Path(a.calib).read_text())[: a.samples]
    enc = [tok(t, add_special_tokens=False, truncation=True, max_length=a.max_len)["input_ids"] for t in texts]
    ds = Dataset.from_dict({"input_ids": enc, "attention_mask": [[1] * len(e) for e in enc]})

    weights = QuantizationArgs(num_bits=a.bits, type="int", symmetric=not a.asym, strategy="group", group_size=a.group_size)
    scheme = QuantizationScheme(targets=["Linear"], weights=weights)
    ignore = [s for s in a.ignore.split(",") if s]
    workaround = False
    if a.method == "gptq":
        from llmcompressor.modifiers.quantization import GPTQModifier
        recipe = [GPTQModifier(config_groups={"group_0": scheme}, ignore=ignore, block_size=min(128, a.group_size * 2))]
    elif a.method == "awq":
        from llmcompressor.modifiers.quantization import QuantizationModifier
        from llmcompressor.modifiers.transform.awq import AWQModifier
        workaround = _cpu_awq_workaround()
        recipe = [AWQModifier(duo_scaling=True), QuantizationModifier(config_groups={"group_0": scheme}, ignore=ignore)]
    else:  # round-to-nearest through the same library and format: the baseline
        from llmcompressor.modifiers.quantization import QuantizationModifier
        recipe = [QuantizationModifier(config_groups={"group_0": scheme}, ignore=ignore)]

    t0 = time.time()
    oneshot(model=model, tokenizer=tok, dataset=ds, recipe=recipe, max_seq_length=a.max_len,
            num_calibration_samples=len(enc), shuffle_calibration_samples=False)
    quantize_s = time.time() - t0
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, save_compressed=True)
    tok.save_pretrained(out)
    result = dict(method=a.method, bits=a.bits, group_size=a.group_size, symmetric=not a.asym,
                  calibration_samples=len(enc), calibration_tokens=sum(map(len, enc)), max_len=a.max_len,
                  quantize_seconds=round(quantize_s, 2), total_seconds=round(time.time() - t_start, 2), threads=a.threads,
                  cpu_pin_memory_workaround=workaround, ignore=ignore,
                  versions={k: version(k) for k in ("torch", "transformers", "llmcompressor", "compressed-tensors")})
    (out / "result.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())

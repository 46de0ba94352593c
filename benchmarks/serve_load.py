"""Serving under load: our server one request at a time, ours batched, and `transformers serve`, side by side in one run.

    python benchmarks/serve_load.py                                   # the embedded SmolLM2-135M, 50 clients, 200 requests
    python benchmarks/serve_load.py --adapter runs/deploy/adapter --out
    python benchmarks/serve_load.py --adapter runs/deploy/adapter --gguf runs/quantized-deploy/gguf/merged-F16.gguf --out
    python benchmarks/serve_load.py --model tiny --clients 4 --requests 8 --max-tokens 4    # seconds: the tiny random model

Loopback only (127.0.0.1). Each server runs in a process of its own, started, measured and stopped before the next one
starts, all on the same model folder (an alias is resolved to its folder; with `--adapter` the adapter is merged into the
base once, and every server loads the merged folder) with the same torch threads:

  ours-1           ftcourse's ChatEngine behind create_app (chapter 61), ServeConfig(max_batch=1): one request at a time
  ours-batched     the same with max_batch=--max-batch (default 32): waiting requests with the same sampling share a generate call
                   (2-core AMD EPYC, 50 clients, the fine-tuned SmolLM2: 3.62 req/s at 16, 4.43 at 32, each measured alone)
  transformers     `transformers serve FOLDER` (the library's own OpenAI-compatible server), default settings
  transformers-cb  `transformers serve FOLDER --continuous-batching` (paged attention; requests join and leave at every token)
  llama.cpp        llama-cpp-python's OpenAI-compatible server on `--gguf FILE` (a GGUF of the same model: chapter 62 writes
                   F16, Q8_0 and Q4_K_M), built into .venv-llama by tools/llama/setup_venv.sh; left out without --gguf

The load: `--requests` chat requests (the date rows of the course's test split, repeated if needed, each with the course's
system prompt sent explicitly, so that every server sees the same messages), greedy (temperature 0), `--max-tokens` new
tokens at most, streamed, from `--clients` client threads at once with the official `openai` client (no retries: a 429 or
an error counts as failed). Each client sends its next request when its last one ends (a closed loop: `--clients` requests
in flight). One untimed warm-up request per server first. Per row: requests/s and tokens/s over the wall time (the first
request sent to the last one finished), end-to-end latency p50/p95, time to first token p50/p95 (the first chunk with
text; a reply with no visible text counts its end), completion tokens from the stream's usage (`include_usage`), and how
many replies equal the first row's (greedy on the same model: they should, up to batched float rounding).

Bounded: a row stops sending at `--time-limit` seconds and every request has at most that long (unsent or cut requests
count as failed); a server that is not up within `--start-timeout` seconds is reported with the tail of its log.
Our servers admit `--max-queue` requests at once (default: --clients, so that the queue itself refuses nobody; the
issue's goal is 0 failed at 50 concurrent clients).
"""
import argparse, datetime, json, math, os, re, signal, sys, tempfile, threading, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVERS = ("ours-1", "ours-batched", "transformers", "transformers-cb", "llama.cpp")
TINY_ALIASES = ("tiny", "tiny-random")

def log(msg: str): print(msg, file=sys.stderr, flush=True)

# ---------------------------------------------------------------- the model folder, the prompts
def model_folder(name: str) -> str:
    "The folder (or hub id) every server loads for `--model`: an alias resolved to the folder ftcourse keeps for it."
    from ftcourse.models import MODEL_ALIASES, TINYLLAMA, _tiny_checkpoint, embedded_checkpoint
    if name in TINY_ALIASES: return str(_tiny_checkpoint(0))    # the tiny random model (seed 0), saved once as a folder
    if name == "tinyllama": return TINYLLAMA
    if name in MODEL_ALIASES: return str(embedded_checkpoint())  # EMBEDDED_MODEL: its GGUF converted to a folder once
    return name

def prompts(n: int) -> list:
    "`n` chat requests: the date test rows with the course's system prompt, user turn only (the way chapter 61 section 4 asks)."
    from ftcourse.loop import DEFAULT_SYSTEM_PROMPT, load_task_split, to_messages
    rows = load_task_split("test", tasks=("date",))
    return [to_messages(rows[i % len(rows)], system=DEFAULT_SYSTEM_PROMPT, with_answer=False) for i in range(n)]

def precision_dtype(precision: str) -> tuple:
    "`(precision, torch dtype name)` that ftcourse's `load_model` resolves `precision` to on this machine (transformers serve gets the dtype)."
    from ftcourse.env import best_device
    from ftcourse.models import resolve_precision
    p = resolve_precision(precision, "cuda" if best_device() == "cuda" else "cpu")
    dtypes = dict(fp32="float32", bf16="bfloat16", fp16="float16")
    if p not in dtypes: raise SystemExit(f"--precision {precision}: only fp32, bf16 or fp16 can be served by every row")
    return p, dtypes[p]

from ftcourse.env import hardware_slug   # the file-name part of benchmarks/results/*

# ---------------------------------------------------------------- servers, each in its own process
from ftcourse.env import FtcourseError
from ftcourse.deploy import ServerProcess, free_port, llama_server_command   # chapter 62: a server process, llama.cpp's command

class Server(ServerProcess):
    "One server process on 127.0.0.1 (chapter 62's `ServerProcess`: its own session, its log in a temp file), started at once."
    def __init__(self, key: str, args, folder: str, dtype: str, precision: str, logdir: Path):
        self.key, port = key, free_port()
        cmd, error = None, None
        if key.startswith("ours"):
            batch = 1 if key == "ours-1" else args.max_batch
            self.label = f"ours, max_batch {batch}" + (" (one at a time)" if batch == 1 else " (batched)")
            cmd = [sys.executable, __file__, "--serve-child", "--port", str(port), "--model", folder, "--precision", precision,
                   "--max-batch", str(batch), "--max-queue", str(args.max_queue), "--max-tokens", str(args.max_tokens),
                   "--time-limit", str(args.time_limit), "--threads", str(args.threads)]
        elif key == "llama.cpp":
            self.label = f"llama.cpp server, {Path(args.gguf).name if args.gguf else 'no --gguf'}"
            try:
                if not args.gguf: raise FileNotFoundError("needs --gguf FILE (a GGUF of the same model: chapter 62 writes them)")
                cmd = llama_server_command(args.gguf, port, threads=args.threads)
            except (OSError, FtcourseError) as e: error = str(e)
        else:
            self.label = "transformers serve" + (" --continuous-batching" if key == "transformers-cb" else "")
            exe = Path(sys.executable).parent / "transformers"
            cmd = [str(exe) if exe.exists() else "transformers", "serve", folder, "--host", "127.0.0.1", "--port", str(port),
                   "--dtype", dtype, "--log-level", "warning"] + (["--continuous-batching"] if key == "transformers-cb" else [])
        super().__init__(cmd or ["-"], port, logdir / f"{key}.log", env={"OMP_NUM_THREADS": str(args.threads)}, cwd=ROOT)
        if error: self.error = error
        else: self.start()

def serve_child(args):
    "Internal (`--serve-child`): our server in this process, ChatEngine + create_app + running_server, until SIGINT/SIGTERM."
    import warnings
    warnings.filterwarnings("ignore")
    from ftcourse.env import set_cpu_threads
    from ftcourse.serve import ChatEngine, ServeConfig
    from ftcourse.api import create_app, running_server
    set_cpu_threads(args.threads)
    config = ServeConfig(model=args.model, precision=args.precision, max_new_tokens=args.max_tokens, system_prompt=None,
                         max_batch=args.max_batch, max_queue=args.max_queue, request_timeout=float(args.time_limit))
    engine = ChatEngine(config)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM): signal.signal(sig, lambda *_: stop.set())
    with running_server(create_app(engine), port=args.port) as url:
        print(f"serving {args.model} on {url} (max_batch {args.max_batch}, max_queue {args.max_queue})", flush=True)
        stop.wait()
    print(f"stopped; engine stats {engine.stats}", flush=True)

# ---------------------------------------------------------------- the load
def pct(values, p: float):
    "Nearest-rank percentile `p` (0..1) of `values`, or None."
    v = sorted(x for x in values if x is not None)
    return v[max(0, math.ceil(p * len(v)) - 1)] if v else None

def one_request(client, model: str, messages, max_tokens: int, timeout: float) -> dict:
    "Send one streamed chat request; its timings, text, completion tokens, or its error."
    t0 = time.perf_counter(); first = None; text, tokens, chunks, finish = [], None, 0, None
    try:
        stream = client.chat.completions.create(model=model, messages=messages, max_tokens=max_tokens, temperature=0, stream=True,
                                                stream_options={"include_usage": True}, timeout=timeout)
        for chunk in stream:
            if chunk.usage is not None: tokens = chunk.usage.completion_tokens
            for c in chunk.choices:
                if c.delta and c.delta.content:
                    chunks += 1; text.append(c.delta.content)
                    if first is None: first = time.perf_counter() - t0
                if c.finish_reason: finish = c.finish_reason
        end = time.perf_counter() - t0
        if finish is None: raise RuntimeError("the stream ended without a finish_reason")
        return dict(ok=True, start=t0, latency=end, ttft=first if first is not None else end, text="".join(text),
                    tokens=tokens if tokens is not None else chunks, usage=tokens is not None, finish=finish)
    except Exception as e:
        return dict(ok=False, start=t0, latency=time.perf_counter() - t0, error=f"{type(e).__name__}: {str(e)[:200]}")

def run_load(server: Server, model: str, questions: list, args) -> dict:
    "`--clients` threads send `questions` (each its next when its last ended) until done or `--time-limit`; the row's figures."
    import openai
    client = openai.OpenAI(base_url=server.url + "/v1", api_key="none", max_retries=0, timeout=args.time_limit)
    warm = one_request(client, model, questions[0], args.max_tokens, args.time_limit)
    if not warm["ok"]: log(f"  [{server.key}] warm-up request failed: {warm['error']}")
    results, lock, nxt = [None] * len(questions), threading.Lock(), iter(range(len(questions)))
    gate = threading.Barrier(args.clients + 1)
    t_start = [None]

    def client_loop():
        gate.wait()
        while True:
            with lock: i = next(nxt, None)
            if i is None: return
            left = args.time_limit - (time.perf_counter() - t_start[0])
            if left <= 0:
                results[i] = dict(ok=False, start=None, latency=None, error="not sent: --time-limit reached"); continue
            results[i] = one_request(client, model, questions[i], args.max_tokens, left)

    threads = [threading.Thread(target=client_loop, daemon=True) for _ in range(args.clients)]
    for t in threads: t.start()
    t_start[0] = time.perf_counter(); gate.wait()
    last = time.perf_counter()
    while any(t.is_alive() for t in threads):
        for t in threads: t.join(timeout=0.2)
        if time.perf_counter() - last >= args.progress_every:
            last = time.perf_counter(); done = [r for r in results if r is not None]
            log(f"  [{server.key}] {len(done)}/{len(questions)} done, {sum(not r['ok'] for r in done)} failed, "
                f"{last - t_start[0]:.1f} s")
    ok = [r for r in results if r["ok"]]
    ends = [r["start"] + r["latency"] for r in ok]
    wall = (max(ends) - t_start[0]) if ends else time.perf_counter() - t_start[0]
    errors = {}                     # failures grouped by their message with the numbers blanked: {pattern: [count, first message]}
    for r in results:
        if not r["ok"]: errors.setdefault(re.sub(r"\d+", "#", r["error"]), [0, r["error"]])[0] += 1
    lat, ttft = [r["latency"] for r in ok], [r["ttft"] for r in ok]
    tokens = sum(r["tokens"] for r in ok)
    return dict(requests=len(questions), ok=len(ok), failed=len(questions) - len(ok), wall_s=wall,
                requests_per_s=len(ok) / wall if wall else None, tokens=tokens, tokens_per_s=tokens / wall if wall else None,
                p50_s=pct(lat, .5), p95_s=pct(lat, .95), ttft_p50_s=pct(ttft, .5), ttft_p95_s=pct(ttft, .95),
                usage_reported=all(r["usage"] for r in ok) if ok else None, warmup_ok=warm["ok"],
                errors=errors, replies=[r["text"] if r["ok"] else None for r in results])

# ---------------------------------------------------------------- the table
def fmt(x, digits=2): return "" if x is None else f"{x:.{digits}f}"

def table(rows: list) -> str:
    from ftcourse.env import text_table
    base = next((r for r in rows if r.get("replies")), None)
    out = [("server", "ok", "failed", "req/s", "p50 s", "p95 s", "TTFT p50 s", "TTFT p95 s", "tokens/s", "same replies")]
    for r in rows:
        if r.get("error"):
            out.append((r["label"], "0", str(r["requests"]), "", "", "", "", "", "", "not run: see below")); continue
        same = ""
        if base is not None and r is not base:
            pairs = [(a.strip(), b.strip()) for a, b in zip(base["replies"], r["replies"]) if a is not None and b is not None]
            same = f"{sum(a == b for a, b in pairs)}/{len(pairs)}"
        out.append((r["label"], f"{r['ok']}/{r['requests']}", str(r["failed"]), fmt(r["requests_per_s"]), fmt(r["p50_s"]),
                    fmt(r["p95_s"]), fmt(r["ttft_p50_s"], 3), fmt(r["ttft_p95_s"], 3), fmt(r["tokens_per_s"], 1),
                    same or ("(reference)" if r is base else "")))
    text = text_table(out, "lrrrrrrrrr")
    notes = [f"  {r['label']}: {r['error']}" for r in rows if r.get("error")]
    notes += [f"  {r['label']}: {n} x {e}" for r in rows for n, e in (r.get("errors") or {}).values()]
    return text + ("\nfailures:\n" + "\n".join(notes) if notes else "")

def main():
    from ftcourse.models import EMBEDDED_MODEL
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=EMBEDDED_MODEL, help=f"alias, folder or hub id (default {EMBEDDED_MODEL}; 'tiny': the tiny random model)")
    p.add_argument("--adapter", default=None, help="a LoRA adapter folder: merged into the model once, and every server loads the merged folder")
    p.add_argument("--precision", default="auto", help="auto (fp32 on a CPU, bf16/fp16 on a GPU), fp32, bf16 or fp16")
    p.add_argument("--servers", default=None, help=f"comma-separated subset of: {', '.join(SERVERS)} (default: all, llama.cpp only with --gguf)")
    p.add_argument("--gguf", default=None, help="a GGUF file of the same model for the llama.cpp row (chapter 62 writes them)")
    p.add_argument("--no-transformers-serve", action="store_true", help="leave out the transformers serve rows")
    p.add_argument("--clients", type=int, default=50, help="client threads sending at once")
    p.add_argument("--requests", type=int, default=200, help="requests per server, over all clients")
    p.add_argument("--max-tokens", type=int, default=24, help="new tokens per answer at most (an ISO date is about 11)")
    p.add_argument("--max-batch", type=int, default=32, help="max_batch of the ours-batched row (default 32)")
    p.add_argument("--max-queue", type=int, default=None, help="our servers' max_queue (default: --clients)")
    p.add_argument("--threads", type=int, default=None, help="torch threads of every server (default: OMP_NUM_THREADS, else all cores)")
    p.add_argument("--time-limit", type=float, default=300, help="seconds a row may send for; also each request's timeout")
    p.add_argument("--start-timeout", type=float, default=300, help="seconds a server may take to load and listen")
    p.add_argument("--start-all", action="store_true",
                   help="start every server at once (they load in parallel), then measure them one after the other (quicker; the idle ones stay in memory)")
    p.add_argument("--progress-every", type=float, default=5, help="seconds between progress lines")
    p.add_argument("--out", nargs="?", const="auto", default=None,
                   help="write the JSON (and the table, as .log beside it); without a path: benchmarks/results/serve_load_<hardware>.json")
    p.add_argument("--serve-child", action="store_true", help=argparse.SUPPRESS)   # internal: run one of our servers
    p.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args()
    args.threads = args.threads or int(os.environ.get("OMP_NUM_THREADS") or 0) or os.cpu_count() or 1
    args.max_queue = args.max_queue or args.clients
    if args.serve_child: return serve_child(args)
    keys = [k.strip() for k in args.servers.split(",") if k.strip()] if args.servers else [k for k in SERVERS if k != "llama.cpp" or args.gguf]
    if unknown := [k for k in keys if k not in SERVERS]: sys.exit(f"unknown server(s) {unknown}: choose from {', '.join(SERVERS)}")
    if args.no_transformers_serve: keys = [k for k in keys if not k.startswith("transformers")]
    if min(args.clients, args.requests, args.max_tokens, args.max_batch) < 1: sys.exit("--clients, --requests, --max-tokens, --max-batch: at least 1")

    from ftcourse.env import hardware_summary, set_cpu_threads, package_version
    set_cpu_threads(args.threads)
    hardware = hardware_summary()
    precision, dtype = precision_dtype(args.precision)
    folder = model_folder(args.model)
    tmp = tempfile.TemporaryDirectory(prefix="serve_load_")
    if args.adapter:
        from ftcourse.serve import merge_adapter
        log(f"merging {args.adapter} into {folder} ...")
        folder = str(merge_adapter(folder, args.adapter, Path(tmp.name) / "merged", precision=precision))
    questions = prompts(args.requests)
    head = (f"{hardware}\nserve load: {args.model}{' + ' + args.adapter if args.adapter else ''} ({folder}), {precision}, "
            f"{args.threads} torch threads per server; {args.requests} streamed chat requests (date test rows, greedy, at most "
            f"{args.max_tokens} new tokens) from {args.clients} clients at once; our max_queue {args.max_queue}; "
            f"transformers {package_version('transformers')}")
    print(head, flush=True)

    rows, started = [], {}
    def start(key):
        server = started[key] = Server(key, args, folder, dtype, precision, Path(tmp.name))
        log(f"[{key}] starting {server.label}: {' '.join(server.cmd[1 if key.startswith('ours') else 0:])}")
        return server
    try:
        if args.start_all:
            for key in keys: start(key)
        for key in keys:
            server = started.get(key) or start(key)
            row = dict(server=key, label=server.label, command=server.cmd, requests=args.requests)
            try:
                model = server.wait_ready(args.start_timeout)
                if model is None:
                    row.update(error=server.error, failed=args.requests, ok=0)
                    log(f"[{key}] not run: {server.error}")
                else:
                    log(f"[{key}] serving {model} after {server.start_s:.1f} s; sending {args.requests} requests from {args.clients} clients")
                    row.update(model_id=model, start_s=round(server.start_s, 2), **run_load(server, model, questions, args))
                    log(f"[{key}] {row['ok']}/{row['requests']} ok in {row['wall_s']:.1f} s: {row['requests_per_s']:.2f} req/s, "
                        f"{row['tokens_per_s']:.1f} tokens/s, {row['failed']} failed")
            finally:
                started.pop(key).stop()
                row["server_log_tail"] = server.log_tail(12)
            rows.append(row)
    finally:
        for server in started.values(): server.stop()     # --start-all, interrupted: the ones not measured yet
    text = head + "\n" + table(rows)
    print("\n" + table(rows), flush=True)
    if args.out:
        out = Path(args.out) if args.out != "auto" else ROOT / "benchmarks" / "results" / f"serve_load_{hardware_slug(hardware)}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        settings = {k: v for k, v in vars(args).items() if k not in ("serve_child", "port", "out")}
        out.write_text(json.dumps(dict(date=datetime.datetime.now().isoformat(timespec="seconds"), hardware=hardware,
                                       model_folder=folder, precision=precision, settings=settings, rows=rows,
                                       prompts=[q[-1]["content"] for q in questions], table=text), indent=1))
        out.with_suffix(".log").write_text(text + "\n")
        log(f"wrote {out} and {out.with_suffix('.log')}")
    tmp.cleanup()

if __name__ == "__main__":
    main()

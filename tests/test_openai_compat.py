"""`ftcourse serve` as real clients see it: the official `openai` client against real server processes (tiny random model,
127.0.0.1 only). The protocol (chat, completions, streams, n, stop, max_tokens, usage), every error's status and shape, bearer
auth on and off, a burst against a small queue, a deadline, a client that hangs up, and LoRA adapters chosen by `model`."""
import json, os, subprocess, threading, time, urllib.request, urllib.error, uuid
from concurrent.futures import ThreadPoolExecutor
import pytest
from conftest import ROOT, BIN
from ftcourse.deploy import ServerProcess, free_port   # chapter 62: a server in its own process, a free port

openai = pytest.importorskip("openai")
pytest.importorskip("fastapi"); pytest.importorskip("uvicorn")

KEY_ENV, KEY, WRONG_KEY = "FTCOURSE_TEST_API_KEY", "sk-test-" + uuid.uuid4().hex, "sk-wrong-" + uuid.uuid4().hex[:8]
HI = [{"role": "user", "content": "5 March 2021"}]
P = "1990-01-05 5 January"        # the tiny random model continues it, greedily, " January January ..."
ERROR_FIELDS = {"message", "type", "param", "code"}

def _raw(url, method="GET", body: bytes | None = None, headers=None):
    "(status, parsed JSON, headers) of one request with the standard library: what a client without the openai package sees."
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as r: return r.status, json.loads(r.read()), r.headers
    except urllib.error.HTTPError as e: return e.code, json.loads(e.read()), e.headers

def _health(url) -> dict: return _raw(url + "/health")[1]

def _wait_idle(url, within: float = 10.0):
    "Wait until nothing waits or generates on the server at `url`."
    deadline = time.time() + within
    while time.time() < deadline:
        h = _health(url)
        if h["waiting"] == 0 and h["running"] == 0: return h
        time.sleep(0.05)
    pytest.fail(f"the server is still busy after {within} s: {h}")

def _start(name, args, tmp, env=None, headers=None):
    "Start `ftcourse serve --model tiny-random ARGS` on a free port (without waiting): chapter 62's `ServerProcess`, its log in `tmp`."
    port = free_port()
    return ServerProcess([BIN / "ftcourse", "serve", "--model", "tiny-random", "--host", "127.0.0.1", "--port", str(port), *args],
                         port, tmp / f"{name}.log", env={"OMP_NUM_THREADS": "1", **(env or {})}, start_timeout=120, cwd=ROOT,
                         headers=headers).start()

def _wait_ready(server):
    if server.wait_ready() is None:
        server.stop(); pytest.fail(f"the server did not start: {server.error}\n{server.log_path.read_text()[-3000:]}")

def _make_adapters(folder) -> dict:
    "Two LoRA adapters for the tiny random model, with random B matrices (peft starts B at zero) so that each changes the answers."
    import torch
    from peft import LoraConfig, get_peft_model
    from ftcourse.models import load_model
    out = {}
    for seed, name in enumerate(("upper", "lower")):
        model, _ = load_model("tiny-random", verbose=False)
        torch.manual_seed(seed)
        config = LoraConfig(r=4, lora_alpha=32, target_modules=["q_proj", "v_proj", "down_proj"], init_lora_weights=False)
        get_peft_model(model, config).save_pretrained(folder / name)
        out[name] = folder / name
    return out

@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Two servers, started in parallel: `guarded` (a key, two adapters, a queue of 2, batches of 2) and `plain` (no key, a 1 s
    deadline). Both allow 900 new tokens, so every test says how many it wants."""
    tmp, running = tmp_path_factory.mktemp("serve"), []
    try:
        running.append(_start("plain", ["--max-new-tokens", "900", "--request-timeout", "1"], tmp))
        adapters = _make_adapters(tmp)            # while the first server starts
        running.append(_start("guarded", ["--max-new-tokens", "900", "--max-batch", "2", "--max-queue", "2", "--api-key-env", KEY_ENV,
                                          "--lora-modules", ",".join(f"{k}={v}" for k, v in adapters.items())], tmp, env={KEY_ENV: KEY},
                              headers={"Authorization": f"Bearer {KEY}"}))
        for s in running: _wait_ready(s)
        yield {"plain": running[0], "guarded": running[1]}
    finally:
        for s in running: s.stop()

@pytest.fixture(scope="module")
def client(servers):
    "The official client against the guarded server; no retries, so that a 429 is seen as it is."
    return openai.OpenAI(base_url=servers["guarded"].url + "/v1", api_key=KEY, max_retries=0, timeout=60)

def test_models_lists_the_base_and_each_adapter(client):
    assert [m.id for m in client.models.list().data] == ["tiny-random", "upper", "lower"]
    card = client.models.retrieve("upper").model_dump()
    assert card["parent"] == "tiny-random" and card["root"].endswith("upper") and card["object"] == "model"
    with pytest.raises(openai.NotFoundError): client.models.retrieve("gpt-4o")

def test_chat_completion(client):
    r = client.chat.completions.create(model="tiny-random", messages=HI, max_tokens=5)
    assert r.object == "chat.completion" and r.model == "tiny-random" and r.id.startswith("chatcmpl-")
    c = r.choices[0]
    assert c.index == 0 and c.message.role == "assistant" and isinstance(c.message.content, str)
    assert c.finish_reason == "length" and r.usage.completion_tokens == 5    # the random model never ends its turn
    assert r.usage.prompt_tokens > 0 and r.usage.total_tokens == r.usage.prompt_tokens + 5
    r = client.chat.completions.create(model="tiny-random", messages=HI, max_completion_tokens=3)   # the newer name
    assert r.usage.completion_tokens == 3

def test_content_parts_are_joined(client):
    kw = dict(model="tiny-random", max_tokens=6, temperature=0.7, seed=3)
    text = client.chat.completions.create(messages=[{"role": "user", "content": "5 March\n2021"}], **kw)
    parts = client.chat.completions.create(messages=[{"role": "user", "content": [{"type": "text", "text": "5 March"},
                                                                                  {"type": "text", "text": "2021"}]}], **kw)
    assert parts.choices[0].message.content == text.choices[0].message.content and parts.usage == text.usage

def test_stream_matches_the_whole_answer(client):
    kw = dict(model="tiny-random", messages=HI, max_tokens=8, temperature=0.7, seed=1)
    whole = client.chat.completions.create(**kw)
    chunks = list(client.chat.completions.create(stream=True, stream_options={"include_usage": True}, **kw))
    assert chunks[0].object == "chat.completion.chunk" and chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == whole.choices[0].message.content
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["length"]
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens == whole.usage.completion_tokens == 8

def test_completions_endpoint(client):
    r = client.completions.create(model="tiny-random", prompt=P, max_tokens=6)
    assert r.object == "text_completion" and r.id.startswith("cmpl-")
    assert r.choices[0].text.startswith(" January") and r.choices[0].finish_reason == "length" and r.usage.completion_tokens == 6
    streamed = list(client.completions.create(model="tiny-random", prompt=P, max_tokens=6, stream=True))
    assert "".join(c.choices[0].text for c in streamed) == r.choices[0].text and streamed[-1].choices[0].finish_reason == "length"
    two = client.completions.create(model="tiny-random", prompt=[P, "2021"], max_tokens=2)
    assert [c.index for c in two.choices] == [0, 1] and two.choices[0].text == r.choices[0].text[:len(two.choices[0].text)]

def test_n_choices(client):
    greedy = client.completions.create(model="tiny-random", prompt=P, max_tokens=4, n=3)
    assert [c.index for c in greedy.choices] == [0, 1, 2] and len({c.text for c in greedy.choices}) == 1
    assert greedy.usage.completion_tokens == 12                            # the copies count: 3 choices of 4 tokens
    kw = dict(model="tiny-random", messages=HI, max_tokens=6, n=3, temperature=1.0, seed=5)
    a, b = client.chat.completions.create(**kw), client.chat.completions.create(**kw)
    texts = [c.message.content for c in a.choices]
    assert texts == [c.message.content for c in b.choices] and len(set(texts)) > 1   # reproducible by its seed; each choice samples its own
    streamed = {}
    for chunk in client.chat.completions.create(stream=True, **kw):
        for c in chunk.choices: streamed[c.index] = streamed.get(c.index, "") + (c.delta.content or "")
    assert [streamed[i] for i in range(3)] == texts

def test_stop_cuts_the_text(client):
    full = client.completions.create(model="tiny-random", prompt=P, max_tokens=6).choices[0].text
    r = client.completions.create(model="tiny-random", prompt=P, max_tokens=6, stop=["y J", "zzz"])
    assert r.choices[0].text == full[:full.index("y J")] and r.choices[0].finish_reason == "stop"
    assert r.usage.completion_tokens < 6                                   # generation stopped there, too
    streamed = list(client.completions.create(model="tiny-random", prompt=P, max_tokens=6, stop="y J", stream=True))
    assert "".join(c.choices[0].text for c in streamed) == r.choices[0].text and streamed[-1].choices[0].finish_reason == "stop"
    chat = client.chat.completions.create(model="tiny-random", messages=HI, max_tokens=6, stop="\n")   # its chat replies start with "\n"
    assert (chat.choices[0].message.content, chat.choices[0].finish_reason, chat.usage.completion_tokens) == ("", "stop", 1)

def test_max_tokens_is_clamped_to_the_context_window(client):
    r = client.completions.create(model="tiny-random", prompt=[5] * 1000, max_tokens=10**9)
    assert r.choices[0].finish_reason == "length"
    assert (r.usage.prompt_tokens, r.usage.completion_tokens) == (1000, 24)   # the tiny model's window is 1024 tokens

def test_noop_values_of_unsupported_parameters_are_accepted(client):
    r = client.chat.completions.create(model="tiny-random", messages=HI, max_tokens=1, frequency_penalty=0, presence_penalty=0,
                                       logprobs=False, tool_choice="none", response_format={"type": "text"}, user="u-1")
    assert r.usage.completion_tokens == 1

@pytest.mark.parametrize("kwargs, status, param", [
    (dict(logprobs=True), 400, "logprobs"),
    (dict(top_logprobs=3), 400, "top_logprobs"),
    (dict(frequency_penalty=0.5), 400, "frequency_penalty"),
    (dict(presence_penalty=1.0), 400, "presence_penalty"),
    (dict(logit_bias={"5": 10}), 400, "logit_bias"),
    (dict(tools=[{"type": "function", "function": {"name": "f", "parameters": {}}}]), 400, "tools"),
    (dict(response_format={"type": "json_object"}), 400, "response_format"),
    (dict(n=0), 400, "n"), (dict(n=9), 400, "n"),
    (dict(temperature=3.0), 400, "temperature"), (dict(top_p=0), 400, "top_p"),
    (dict(max_tokens=0), 400, "max_tokens"),
    (dict(stop=["a", "b", "c", "d", "e"]), 400, "stop"),
    (dict(extra_body={"foo": 1}), 400, "foo"),
    (dict(extra_body={"max_tokens": "many"}), 400, "max_tokens"),          # FastAPI's 422, converted
    (dict(messages=[{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "http://x/cat.png"}}]}]), 400,
     "messages[0].content[0]"),
    (dict(messages=[{"role": "robot", "content": "hi"}]), 400, "messages[0].role"),
    (dict(messages=[]), 400, "messages"),
    (dict(model="gpt-4o"), 404, "model"),
    (dict(messages=[{"role": "user", "content": "date " * 2000}]), 413, "messages"),
])
def test_errors_have_openai_shape_and_status(client, kwargs, status, param):
    with pytest.raises(openai.APIStatusError) as ei:
        client.chat.completions.create(**(dict(model="tiny-random", messages=HI, max_tokens=2) | kwargs))
    e = ei.value
    assert e.status_code == status and set(e.body) == ERROR_FIELDS and e.param == param, e.body   # e.body: the "error" object
    assert type(e) is {400: openai.BadRequestError, 404: openai.NotFoundError}.get(status, openai.APIStatusError)
    if "image_url" in json.dumps(kwargs): assert "'image_url'" in e.message

def test_completions_errors(client):
    for kwargs, param in ((dict(echo=True), "echo"), (dict(suffix="x"), "suffix"), (dict(best_of=3), "best_of"),
                          (dict(prompt=[[]]), "prompt"), (dict(prompt=[10**6]), "prompt")):
        with pytest.raises(openai.BadRequestError) as ei:
            client.completions.create(**(dict(model="tiny-random", prompt=P, max_tokens=2) | kwargs))
        assert ei.value.param == param and set(ei.value.body) == ERROR_FIELDS
    with pytest.raises(openai.APIStatusError) as ei: client.completions.create(model="tiny-random", prompt=[5] * 1024, max_tokens=2)
    assert ei.value.status_code == 413 and ei.value.code == "context_length_exceeded"

def test_raw_http_errors_have_openai_shape(servers):
    url, auth = servers["guarded"].url, {"Authorization": f"Bearer {KEY}"}
    for method, path, body, status, code in (("POST", "/v1/chat/completions", b"{not json", 400, "invalid_json"),
                                             ("POST", "/v1/chat/completions", b"[1, 2]", 400, "invalid_body"),
                                             ("POST", "/v1/embeddings", b"{}", 404, "not_found"),
                                             ("GET", "/v1/chat/completions", None, 405, "method_not_allowed")):
        s, b, _ = _raw(url + path, method, body, auth)
        assert (s, b["error"]["code"]) == (status, code) and set(b["error"]) == ERROR_FIELDS, (path, s, b)

def test_auth(servers):
    url = servers["guarded"].url
    wrong = openai.OpenAI(base_url=url + "/v1", api_key=WRONG_KEY, max_retries=0, timeout=30)
    with pytest.raises(openai.AuthenticationError) as ei: wrong.chat.completions.create(model="tiny-random", messages=HI, max_tokens=1)
    assert ei.value.status_code == 401 and ei.value.code == "invalid_api_key" and set(ei.value.body) == ERROR_FIELDS
    assert WRONG_KEY not in json.dumps(ei.value.body)                      # never echoed
    status, body, headers = _raw(url + "/v1/models")                      # no key at all
    assert status == 401 and headers.get("WWW-Authenticate") == "Bearer" and body["error"]["code"] == "invalid_api_key"
    status, body, _ = _raw(url + "/v1/chat/completions", "POST", b"{not json", {"Authorization": f"Bearer {WRONG_KEY}"})
    assert status == 401                                                   # the key is checked before the body is read
    assert _raw(url + "/health")[0] == 200                                 # open for load balancers

def test_auth_is_off_by_default(servers):
    url = servers["plain"].url
    assert _raw(url + "/v1/models")[0] == 200
    anyone = openai.OpenAI(base_url=url + "/v1", api_key="anything", max_retries=0, timeout=30)
    assert anyone.chat.completions.create(model="tiny-random", messages=HI, max_tokens=1).usage.completion_tokens == 1

def test_burst_against_a_small_queue_gets_fast_429s_and_loses_none(client, servers):
    url, n = servers["guarded"].url, 8
    before, gate = _wait_idle(url), threading.Barrier(n)
    def one(_):
        gate.wait()
        try:
            r = client.chat.completions.create(model="tiny-random", messages=HI, max_tokens=64)
            return 200, r.usage.completion_tokens
        except openai.RateLimitError as e:     # anything else fails the test: no request may be lost silently
            return 429, (e.response.headers.get("Retry-After"), e.code)
    with ThreadPoolExecutor(n) as pool: results = list(pool.map(one, range(n)))
    done, refused = [r for s, r in results if s == 200], [r for s, r in results if s == 429]
    assert len(done) + len(refused) == n and done and refused, results
    assert all(t == 64 for t in done) and all(int(wait) >= 1 and code == "server_overloaded" for wait, code in refused), results
    after = _wait_idle(url)
    assert (after["requests"] - before["requests"], after["rejected"] - before["rejected"]) == (len(done), len(refused))

def test_client_that_hangs_up_frees_its_slot(client, servers):
    url = servers["guarded"].url
    before = _wait_idle(url)
    stream = client.chat.completions.create(model="tiny-random", messages=HI, max_tokens=900, stream=True)
    next(iter(stream)); stream.close()                                    # one event, then hang up
    after = _wait_idle(url)
    assert after["cancelled"] == before["cancelled"] + 1 and after["requests"] == before["requests"]

def test_deadline_gives_504_and_stops_generating(servers):
    url = servers["plain"].url
    plain = openai.OpenAI(base_url=url + "/v1", api_key="x", max_retries=0, timeout=30)
    t0 = time.time()
    with pytest.raises(openai.InternalServerError) as ei:
        plain.chat.completions.create(model="tiny-random", messages=HI, max_tokens=900)
    e = ei.value
    assert (e.status_code, e.code) == (504, "timeout") and set(e.body) == ERROR_FIELDS and time.time() - t0 < 15
    assert e.response.headers.get("x-should-retry") == "false"
    h = _wait_idle(url)                                                    # its generation stopped too
    with pytest.raises(openai.APIError) as ei:                             # a stream already begun: an error event
        for _ in plain.chat.completions.create(model="tiny-random", messages=HI, max_tokens=900, stream=True): pass
    assert "request_timeout" in ei.value.message
    assert _wait_idle(url)["timeouts"] == h["timeouts"] + 1

def test_adapter_chosen_by_model(client):
    ask = lambda m: client.completions.create(model=m, prompt=P, max_tokens=6)
    first = {m: ask(m) for m in ("tiny-random", "upper", "lower")}
    texts = {m: r.choices[0].text for m, r in first.items()}
    assert len(set(texts.values())) == 3 and all(r.model == m for m, r in first.items()), texts   # each adapter changes the answer
    assert {m: ask(m).choices[0].text for m in ("lower", "tiny-random", "upper")} == texts          # switching back and forth
    with ThreadPoolExecutor(2) as pool: mixed = list(pool.map(lambda m: ask(m).choices[0].text, ["upper", "tiny-random"]))
    assert mixed == [texts["upper"], texts["tiny-random"]]                # concurrent requests for two models: batched apart

def test_startup_errors_are_one_clear_line(tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    env.pop("FTCOURSE_UNSET_KEY", None)
    runs = [subprocess.Popen([str(BIN / "ftcourse"), "serve", "--model", "tiny-random", *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
            for args in (["--api-key-env", "FTCOURSE_UNSET_KEY"], ["--lora-modules", "date"])]
    for p, needle in zip(runs, ("export FTCOURSE_UNSET_KEY=", "is not NAME=FOLDER")):
        out, err = p.communicate(timeout=120)
        assert p.returncode == 2 and "Traceback" not in err and err.strip().splitlines()[-1].startswith("ftcourse: error:"), err[-2000:]
        assert needle in err

def test_the_key_is_never_logged(servers):
    "Last: after every test above has sent the key (and a wrong one), neither is in the server's log."
    log = servers["guarded"].log_path.read_text()
    assert "serving tiny-random, upper, lower" in log and f"auth a bearer key from ${KEY_ENV}" in log
    assert KEY not in log and WRONG_KEY not in log

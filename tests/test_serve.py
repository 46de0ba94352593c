"`ftcourse serve` as a deployment runs it: a real server process on a free port, spoken to over HTTP."
import json, os, signal, subprocess, time, urllib.request, urllib.error
import pytest
from conftest import ROOT
from ftcourse.deploy import free_port   # chapter 62

def _call(url, payload=None):
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r: return r.status, r.read().decode()
    except urllib.error.HTTPError as e: return e.code, e.read().decode()

@pytest.fixture
def server(ftcourse_cmd, tmp_path):
    pytest.importorskip("fastapi"); pytest.importorskip("uvicorn")
    port = free_port()
    log = open(tmp_path / "server.log", "w")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "2"}
    p = subprocess.Popen([ftcourse_cmd, "serve", "--model", "tiny-random", "--port", str(port), "--max-new-tokens", "8", "--max-batch", "4"],
                         stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while True:
        try:
            if _call(url + "/health")[0] == 200: break
        except OSError: pass
        if p.poll() is not None or time.time() > deadline:
            p.kill(); pytest.fail("server did not start:\n" + (tmp_path / "server.log").read_text()[-3000:])
        time.sleep(0.3)
    yield url, p
    if p.poll() is None:
        p.send_signal(signal.SIGINT)
        try: p.wait(timeout=30)
        except subprocess.TimeoutExpired: p.kill()

def test_chat_completion_round_trip(server):
    url, _ = server
    status, body = _call(url + "/v1/chat/completions", {"messages": [{"role": "user", "content": "5 March 2021"}], "max_tokens": 5})
    assert status == 200, body
    body = json.loads(body)
    assert body["object"] == "chat.completion" and body["model"] == "tiny-random"
    msg = body["choices"][0]["message"]
    assert msg["role"] == "assistant" and isinstance(msg["content"], str)
    u = body["usage"]
    assert 0 < u["completion_tokens"] <= 5 and u["prompt_tokens"] > 0 and u["total_tokens"] == u["prompt_tokens"] + u["completion_tokens"]
    assert json.loads(_call(url + "/v1/models")[1])["data"][0]["id"] == "tiny-random"

def test_bad_requests_name_the_field(server):
    "Errors come in OpenAI's shape, {'error': {message, type, param, code}}, a validation error as a 400 (not FastAPI's 422)."
    url, _ = server
    def error(payload):
        status, body = _call(url + "/v1/chat/completions", payload)
        return status, json.loads(body)["error"]
    status, e = error({"messages": [{"role": "robot", "content": "hi"}]})
    assert status == 400 and e["param"] == "messages[0].role" and set(e) == {"message", "type", "param", "code"}
    status, e = error({"messages": []})
    assert status == 400 and e["param"] == "messages"
    status, e = error({"messages": [{"role": "user", "content": "a"}], "max_tokens": "many"})
    assert status == 400 and e["param"] == "max_tokens"
    status, e = error({"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]})
    assert status == 400 and "messages[1].role" in e["message"]
    status, e = error({"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}], "stream": True})
    assert status == 400 and "messages[1].role" in e["message"]   # a bad streamed request fails before the stream starts

def test_streaming_sends_events_then_done(server):
    url, _ = server
    status, body = _call(url + "/v1/chat/completions", {"messages": [{"role": "user", "content": "hello"}], "max_tokens": 4, "stream": True})
    assert status == 200
    events = [l[6:] for l in body.splitlines() if l.startswith("data: ")]
    assert events[-1] == "[DONE]" and json.loads(events[0])["choices"][0]["delta"]["role"] == "assistant"
    assert json.loads(events[-2])["choices"][0]["finish_reason"] == "length"   # the tiny random model never ends its turn

def test_stops_cleanly_on_interrupt(server):
    url, p = server
    p.send_signal(signal.SIGINT)
    assert p.wait(timeout=30) == 0

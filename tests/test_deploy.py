"Chapter 62's llama.cpp path on the embedded SmolLM2 (the GGUF converter needs a real tokenizer): convert to GGUF F16, quantize to Q4_K_M with `quantize_gguf`, serve it with llama-cpp-python's server through `ServerProcess`, and measure it with `measure_endpoint`. Needs .venv-llama (bash tools/llama/setup_venv.sh, a compile): skipped where it is absent, as in CI."
import pytest
from conftest import ROOT

def test_gguf_quantize_serve_measure(tmp_path, monkeypatch):
    from ftcourse.deploy import llama_python, quantize_gguf, llama_server_command, ServerProcess, free_port, measure_endpoint
    from ftcourse.gptq_awq import export_gguf
    from ftcourse.models import embedded_checkpoint
    from ftcourse.loop import load_task_split
    monkeypatch.chdir(ROOT)
    if llama_python() is None: pytest.skip("no .venv-llama here (bash tools/llama/setup_venv.sh builds it; CI does not)")
    f16 = export_gguf(embedded_checkpoint(), tmp_path / "base-F16.gguf", "f16")
    q4 = quantize_gguf(f16, tmp_path / "base-Q4_K_M.gguf", "Q4_K_M", threads=2)
    assert 0.3 < q4.stat().st_size / f16.stat().st_size < 0.5, (q4.stat().st_size, f16.stat().st_size)
    assert "fallback" in (tmp_path / "base-Q4_K_M.gguf.log").read_text()   # SmolLM2's 576 columns are not a multiple of 256
    rows = load_task_split("test", tasks="date")[:3]
    port = free_port()
    with ServerProcess(llama_server_command(q4, port, threads=2), port, tmp_path / "server.log", start_timeout=120) as server:
        assert server.model_id == "base-Q4_K_M"
        m = measure_endpoint(server.url, server.model_id, rows, max_tokens=12, clients=2, burst=4)
        memory = server.memory_mb()
    assert server.proc.poll() is not None, "the server is stopped on leaving the block"
    assert m["rows"] == 3 and len(m["predictions"]) == 3 and all(isinstance(p, str) and p for p in m["predictions"]), m
    assert m["tokens_per_s"] > 0 and m["requests_per_s"] > 0 and m["p50_s"] <= m["p95_s"], m
    assert 50 < memory < 2000, memory

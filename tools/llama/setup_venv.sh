#!/usr/bin/env bash
# Make the llama.cpp virtualenv .venv-llama: llama-cpp-python (llama.cpp compiled for this CPU) with its OpenAI-compatible
# server. It is a compile (6 min 10 s on a 2-core AMD EPYC), done once, outside `make test`, like the quant venv.
# usage: bash tools/llama/setup_venv.sh   (PYTHON=python3.11 LLAMA_VENV=.venv-llama LLAMA_SPEC=... to change;
#        on a CUDA machine: CMAKE_ARGS="-DGGML_CUDA=on" bash tools/llama/setup_venv.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${LLAMA_VENV:-.venv-llama}
PY=${PYTHON:-python3}
SPEC=${LLAMA_SPEC:-llama-cpp-python[server]==0.3.36}
test -x "$VENV/bin/python" || "$PY" -m venv "$VENV"
"$VENV/bin/pip" install -q --upgrade pip
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}
# only the library: no examples, tests or llama.cpp's own tools (the Python package has its own server)
export CMAKE_ARGS="${CMAKE_ARGS:-} -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_CURL=OFF"
"$VENV/bin/pip" install --no-cache-dir "$SPEC"
"$VENV/bin/python" -c "import llama_cpp; print('llama venv ready: llama-cpp-python', llama_cpp.__version__, llama_cpp.llama_print_system_info().decode())"

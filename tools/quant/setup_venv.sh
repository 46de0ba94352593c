#!/usr/bin/env bash
# Make the quantization virtualenv .venv-quant (llm-compressor: GPTQ, AWQ, RTN -> compressed-tensors; the GGUF converter's
# sentencepiece). It sits beside the course's .venv because llm-compressor pins an older transformers.
# usage: bash tools/quant/setup_venv.sh   (PYTHON=python3.11 TORCH_SPEC=torch==2.13.0 QUANT_VENV=.venv-quant to change)
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${QUANT_VENV:-.venv-quant}
PY=${PYTHON:-python3}
TORCH_SPEC=${TORCH_SPEC:-torch==2.13.0}
test -x "$VENV/bin/python" || "$PY" -m venv "$VENV"
"$VENV/bin/python" -c "import torch" 2>/dev/null || "$VENV/bin/pip" install "$TORCH_SPEC"
"$VENV/bin/pip" install -r tools/quant/requirements.txt
"$VENV/bin/python" -c "import llmcompressor, compressed_tensors, transformers, torch; print('quant venv ready: torch', torch.__version__, 'transformers', transformers.__version__, 'llmcompressor', llmcompressor.__version__)"

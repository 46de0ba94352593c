"""Write README.md from nbs/index.ipynb (nbdev-readme needs Quarto, which cannot be installed offline).

Markdown cells are copied as they are, except links to chapters: the index links them as the website does
(`[00_env](00_env.ipynb)`, a page beside it), the README from the repository root (`nbs/00_env.ipynb`), and files of the repository that the website links on GitHub are linked relative.
Code cells become ```python blocks; cells marked `#| hide` are left out.
`python tools/make_readme.py --check` exits 1 if README.md is not what the notebook gives.
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->\n\n"

def readme_text(nb_path: Path = ROOT / "nbs" / "index.ipynb") -> str:
    "The README text for the notebook at `nb_path`."
    cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
    parts = []
    for cell in cells:
        src = "".join(cell["source"]).strip()
        if not src or src.startswith("#| hide"): continue
        if cell["cell_type"] == "markdown":
            parts.append(re.sub(r"\]\(([\w.-]+\.ipynb)([)#])", r"](nbs/\1\2", src).replace("](https://github.com/ftcourse/ftcourse/blob/main/", "]("))
        elif cell["cell_type"] == "code":
            code = "\n".join(l for l in src.splitlines() if not l.startswith("#|")).strip()
            if code: parts.append(f"```python\n{code}\n```")
    return HEADER + "\n\n".join(parts) + "\n"

def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text, readme = readme_text(), ROOT / "README.md"
    if "--check" in argv:
        if not readme.exists() or readme.read_text(encoding="utf-8") != text:
            print("README.md is out of date with nbs/index.ipynb: run `python tools/make_readme.py`")
            return 1
        return 0
    readme.write_text(text, encoding="utf-8")
    print(f"wrote {readme}")
    return 0

if __name__ == "__main__":
    sys.exit(main())

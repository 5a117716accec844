"""Put notebooks in the form the repository stores: no outputs, no execution
counts, the project's kernelspec, and no editor-specific metadata.

Usage: python tools/normalize_notebooks.py book/*.ipynb
tests/test_notebooks_clean.py fails on any notebook that is not in this form.
"""

import json
import sys
from pathlib import Path

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
LANGUAGE_INFO = {"name": "python"}
KEPT_CELL_METADATA = ("tags", "mystnb")


def normalize(nb: dict) -> dict:
    nb["metadata"] = {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}
    for cell in nb["cells"]:
        cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items() if k in KEPT_CELL_METADATA}
        cell.pop("id", None)
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    nb["nbformat"], nb["nbformat_minor"] = 4, 4
    return nb


def main(paths: list[str]) -> None:
    for path in map(Path, paths):
        nb = normalize(json.loads(path.read_text()))
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])

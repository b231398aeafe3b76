"""Executes every notebook in Notebooks/ headless against one results database (nbclient), and writes the
executed copies and their HTML (nbconvert) to an output folder. The cell tagged `parameters` is replaced by
`DB = "<database>"`, so a notebook never needs editing to point at other results.

Usage: python Notebooks/execute.py DATABASE OUT_DIR [NOTEBOOK ...]
Exit status 1 if a notebook fails, has no parameters cell, or produces no figure."""
import pathlib
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter

HERE = pathlib.Path(__file__).resolve().parent
FIGURE_TYPES = ("image/png", "image/svg+xml")


def figures(nb):
    return sum(1 for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []) if any(t in out.get("data", {}) for t in FIGURE_TYPES))


def run(path, db, out):
    nb = nbformat.read(path, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not params:
        return f"{path.name}: no cell tagged 'parameters' (expected one that sets DB)"
    params[0].source = f"DB = {str(db)!r}"
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(HERE)}}).execute()
    except CellExecutionError as e:
        nbformat.write(nb, out / path.name)
        return f"{path.name}: a cell failed:\n{e}"
    nbformat.write(nb, out / path.name)
    html, _ = HTMLExporter().from_notebook_node(nb)
    (out / path.with_suffix(".html").name).write_text(html, encoding="utf-8")
    n = figures(nb)
    print(f"{path.name}: executed, {n} figure(s) → {out / path.with_suffix('.html').name}")
    return None if n > 0 else f"{path.name}: executed but produced no figure"


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    db, out = pathlib.Path(argv[1]).resolve(), pathlib.Path(argv[2]).resolve()
    if not db.exists():
        print(f"execute.py: no results database at {db}")
        return 1
    out.mkdir(parents=True, exist_ok=True)
    books = [pathlib.Path(p) for p in argv[3:]] or sorted(HERE.glob("*.ipynb"))
    problems = [p for p in (run(b, db, out) for b in books) if p]
    for p in problems:
        print("error:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Executes every notebook in Notebooks/ headless against one results database (nbclient), and writes the
executed copies and their HTML (nbconvert) to an output folder. The cell tagged `parameters` is replaced by
`DB = "<database>"`, so a notebook never needs editing to point at other results.

Usage: python Notebooks/execute.py DATABASE OUT_DIR [NOTEBOOK ...]
Exit status 1 if a notebook fails, has no parameters cell, or produces no figure."""
import pathlib
import shutil
import subprocess
import sys
import tempfile

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter

HERE = pathlib.Path(__file__).resolve().parent
FIGURE_TYPES = ("image/png", "image/svg+xml")


def figures(nb):
    return sum(1 for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []) if any(t in out.get("data", {}) for t in FIGURE_TYPES))


def browser_check(html, expected):
    """Opens the HTML in headless Chromium (when installed): the rendered DOM must hold every figure as an image,
    and a screenshot is written next to it for people to look at."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print(f"{html.name}: Chromium not installed, browser check skipped")
        return None
    with tempfile.TemporaryDirectory() as profile:
        common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}"]
        dom = subprocess.run(common + ["--dump-dom", html.as_uri()], capture_output=True, text=True, timeout=120).stdout
        shot = html.with_suffix(".png")
        subprocess.run(common + [f"--screenshot={shot}", "--window-size=1100,2400", html.as_uri()],
                       capture_output=True, timeout=120)
    images = dom.count("data:image/png;base64") + dom.count("<svg")
    if images < expected:
        return f"{html.name}: Chromium's DOM shows {images} figure(s), expected {expected}"
    if not shot.exists() or shot.stat().st_size < 10_000:
        return f"{html.name}: Chromium wrote no screenshot"
    print(f"{html.name}: Chromium shows {images} figure(s); screenshot {shot}")
    return None


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
    if n == 0:
        return f"{path.name}: executed but produced no figure"
    return browser_check(out / path.with_suffix(".html").name, n)


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

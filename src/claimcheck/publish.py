"""Rendering executed notebooks to HTML for readers who never open Python."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert import HTMLExporter


def render_notebook_html(executed: Path) -> tuple[Path, Path]:
    """Write ``<nb>.html`` (readers' version, no code cells) and ``<nb>.code.html`` (full) beside ``executed``."""
    executed = Path(executed)
    notebook = nbformat.read(executed, as_version=4)
    readers = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                           exclude_output_prompt=True)
    full = HTMLExporter(template_name="lab")
    readers_path = executed.with_suffix(".html")
    full_path = executed.with_suffix(".code.html")
    readers_path.write_text(readers.from_notebook_node(notebook)[0], encoding="utf-8")
    full_path.write_text(full.from_notebook_node(notebook)[0], encoding="utf-8")
    return readers_path, full_path

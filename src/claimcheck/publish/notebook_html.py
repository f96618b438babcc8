"""Rendering executed notebooks to HTML for readers who never open Python.

The pages must open from the file system with no network at all: nbconvert's ``lab`` template
loads require.js, MathJax, mermaid and the widget manager from cdnjs/jsdelivr, so ``OFFLINE_TEMPLATE``
inherits from it and empties those blocks. The cost: LaTeX in markdown shows as its source text and
mermaid diagrams as their code (the notebooks use neither); the page styles are inlined as before.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter

from claimcheck import files

OFFLINE_TEMPLATE_FILE = "claimcheck_offline.html.j2"
OFFLINE_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def offline_exporter(**options) -> HTMLExporter:
    """An ``HTMLExporter`` on the lab template whose pages request nothing from the network."""
    return HTMLExporter(
        template_name="lab",
        template_file=OFFLINE_TEMPLATE_FILE,
        extra_loaders=[DictLoader({OFFLINE_TEMPLATE_FILE: OFFLINE_TEMPLATE})],
        mathjax_url="",
        require_js_url="",
        **options,
    )


@lru_cache(maxsize=1)
def _exporters() -> tuple[HTMLExporter, HTMLExporter]:
    """The readers' and the full exporter, built once per process (their templates compile slowly)."""
    readers = offline_exporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    return readers, offline_exporter()


def render_notebook_html(executed: Path) -> tuple[Path, Path]:
    """Write ``<nb>.html`` (readers' version, no code cells) and ``<nb>.code.html`` (full) beside ``executed``."""
    executed = Path(executed)
    notebook = nbformat.read(executed, as_version=4)
    readers, full = _exporters()
    readers_path = executed.with_suffix(".html")
    full_path = executed.with_suffix(".code.html")
    files.write_text(readers_path, readers.from_notebook_node(notebook)[0])
    files.write_text(full_path, full.from_notebook_node(notebook)[0])
    return readers_path, full_path

"""HTML and Markdown: a Jinja2 template file, built-in or the user's, rendered
to text in the sandbox, no longer than ``render.TEMPLATE_OUTPUT``."""
from __future__ import annotations

from pathlib import Path

from cskit.reports import render
from cskit.reports.render.sandbox import TemplateLimit, environment, jinja_errors


def render_text(template_path: Path, name: str, ctx: dict, *, html: bool,
                shown: str) -> str:
    """Render one Jinja2 template file (built-in or the user's) to text."""
    env = environment(template_path.parent if template_path else None, html=html)
    with jinja_errors(shown):
        template = env.get_template(name)
        parts, size = [], 0
        for part in template.generate(ctx):
            size += len(part)
            if size > render.TEMPLATE_OUTPUT:
                raise TemplateLimit("output")
            parts.append(part)
        return "".join(parts)

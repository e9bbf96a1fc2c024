"""A user's Word template (.docx with Jinja2 tags), rendered in the sandbox."""
from __future__ import annotations

import io
from pathlib import Path

from cskit.errors import DataError, Problem
from cskit.i18n import Text, os_reason
from cskit.reports.render.sandbox import environment, jinja_errors


def render_docx_template(template_path: Path, ctx_builder, target: str, shown: str) -> None:
    """A user's Word template with Jinja2 tags, rendered by docxtpl in the
    sandbox; charts are pictures (``{{ charts.aging_buckets }}``)."""
    import zipfile

    from docx.opc.exceptions import OpcError
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    try:
        document = DocxTemplate(str(template_path))
        document.init_docx()
    except OpcError:  # python-docx: not a zip package at all (text, random bytes)
        raise DataError(Problem(file=shown, expected=Text(
            "is not a Word document; save the template from Word as a .docx file",
            "不是 Word 文档；请在 Word 中把模板另存为 .docx 文件"))) from None
    except OSError as exc:
        raise DataError(Problem(file=shown, expected=Text(
            "the Word template cannot be read: {reason}", "Word 模板无法读取：{reason}",
            reason=os_reason(exc)))) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DataError(Problem(file=shown, expected=Text(
            "is not a readable Word .docx file ({detail}); save the template from Word "
            "as a .docx file",
            "不是可以读取的 Word .docx 文件（{detail}）；请在 Word 中把模板另存为 .docx 文件",
            detail=str(exc)))) from None
    ctx = ctx_builder(lambda item: InlineImage(document, io.BytesIO(item["png"]), width=Mm(150)))
    with jinja_errors(shown):
        document.render(ctx, jinja_env=environment(None, html=False), autoescape=True)
    document.save(target)

"""zcprep render: the forms a unit signs and seals, filled from applicant.toml and zcprep.toml.

Each form of the notice (``[[render.forms]]``) is a jinja2 template that writes the small
block markup of :mod:`zcprep.render.markup`; it is filled for every applicant and laid out
on A4 with reportlab into ``out/<姓名>/forms/<表名>.pdf``, the CJK font embedded.

Why it is built this way:

- Templates are files (packaged ``templates/``, or the workspace's ``[render]
  templates_dir`` overriding them by file name), so next year's wording changes without
  a release. They run in jinja2's sandbox.
- Data is text. Every value is protected before it reaches the template (markup
  characters become inert stand-ins), and applicant data is only ever a template
  *variable*, never template source.
- A missing value prints as a line to fill by hand, never "None", and is reported.
- A character the embedded font lacks would print as an empty box without any error from
  reportlab: it is printed as "＿" to write by hand, and reported with its field.

The template lookup, the sandbox, the markup parser and the PDF/DOCX writers are on this
face too: zcprep.letter lays its 补正告知单 out with them, exactly as a form.
"""

from zcprep.render.docx import require_docx, write_docx
from zcprep.render.fit import LayoutProblem
from zcprep.render.forms import (
    BlankUndefined,
    Record,
    fill_template,
    find_form,
    make_environment,
    template_search_path,
)
from zcprep.render.markup import (
    BLANK_DATE,
    BLANK_LINE,
    Document,
    parse,
    protect,
    xml_safe_document,
)
from zcprep.render.pdf import write_pdf
from zcprep.render.run import (
    FORMS_FOLDER,
    RenderedForm,
    RenderFailure,
    RenderResult,
    form_font,
    form_fonts,
    render_forms,
    safe_file_name,
)
from zcprep.render.values import (
    DATE_STYLES,
    check_date_style,
    field_label,
    identity_problems,
    notice_identity,
)

__all__ = [
    "BLANK_DATE",
    "BLANK_LINE",
    "DATE_STYLES",
    "FORMS_FOLDER",
    "BlankUndefined",
    "Document",
    "LayoutProblem",
    "Record",
    "RenderFailure",
    "RenderResult",
    "RenderedForm",
    "check_date_style",
    "field_label",
    "fill_template",
    "find_form",
    "form_font",
    "form_fonts",
    "identity_problems",
    "make_environment",
    "notice_identity",
    "parse",
    "protect",
    "render_forms",
    "require_docx",
    "safe_file_name",
    "template_search_path",
    "write_docx",
    "write_pdf",
    "xml_safe_document",
]

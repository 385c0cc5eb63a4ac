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
"""

from zcprep.render.forms import find_form
from zcprep.render.run import (
    FORMS_FOLDER,
    RenderedForm,
    RenderFailure,
    RenderResult,
    render_forms,
    safe_file_name,
)
from zcprep.render.values import DATE_STYLES, check_date_style, identity_problems

__all__ = [
    "DATE_STYLES",
    "FORMS_FOLDER",
    "RenderFailure",
    "RenderResult",
    "RenderedForm",
    "check_date_style",
    "find_form",
    "identity_problems",
    "render_forms",
    "safe_file_name",
]

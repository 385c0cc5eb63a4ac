"""Every template load goes through one loader that refuses links and names leading out.

Real workspaces (``zcprep init``), real symbolic links in the workspace's own template
folder, pointing at a file outside the workspace that holds a secret; the commands run
in-process as a user runs them, and the PDFs (if any) are read back with pypdf. Before
the shared loader only the top-level template was checked: an ``{% include %}``,
``{% extends %}``, ``{% import %}`` or ``{% from %}`` of a link printed the file it
pointed to into the form.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from check_helpers import right_applicant, toml_text
from fontgen import build_ttf
from zcprep.cli import main
from zcprep.resources import examples_dir, templates_dir

SECRET = "SECRET0815"
FORM = "publicity-result.md.j2"
TITLE = "公示结果证明"


@pytest.fixture(scope="module")
def font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    extra = "".join(p.read_text("utf-8") for p in templates_dir().glob("*.j2"))
    return build_ttf(tmp_path_factory.mktemp("font") / "test-song.ttf", extra=extra)


def workspace(root: Path, font: Path) -> Path:
    """A nantong-2023 workspace with 张三, the test font and its own template folder 模板."""
    ws = root / "工作区"
    assert main(["init", "nantong-2023", str(ws)]) == 0
    config = ws / "zcprep.toml"
    text = config.read_text("utf-8").replace("[fonts]\n", f"[fonts]\npath = '{font}'\n", 1)
    assert 'date_style = "arabic"' in text
    text = text.replace('date_style = "arabic"', 'date_style = "arabic"\ntemplates_dir = "模板"')
    config.write_text(text, "utf-8")
    assert main(["new", "张三", "-w", str(ws)]) == 0
    data = right_applicant() | {"name": "张三", "level": "中级", "publicity_start": "2023-05-08"}
    (ws / "dossiers" / "张三" / "applicant.toml").write_text(toml_text(data, []), "utf-8")
    (ws / "模板").mkdir()
    return ws


def outside(root: Path, name: str, text: str) -> Path:
    """A file outside the workspace, as a link would lead to it."""
    folder = root / "外部"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def link(at: Path, target: Path) -> None:
    try:
        at.symlink_to(target, target_is_directory=target.is_dir())
    except (OSError, NotImplementedError) as exc:  # Windows without the right to link
        pytest.skip(f"symbolic links unavailable here: {exc}")


def all_output_text(ws: Path) -> str:
    """Every PDF's text under out/ (whitespace removed), and every other file's bytes."""
    texts = []
    for path in (ws / "out").rglob("*") if (ws / "out").exists() else []:
        if path.suffix == ".pdf":
            reader = PdfReader(path)
            texts.append("".join(page.extract_text() for page in reader.pages))
        elif path.is_file():
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    return re.sub(r"\s+", "", "".join(texts))


def render(ws: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["render", "--form", "publicity-result", "-w", str(ws)])
    return code, capsys.readouterr().err


def own_form(ws: Path, text: str) -> None:
    (ws / "模板" / FORM).write_text(text, "utf-8")


# The four ways a jinja2 template pulls in another, each of a link that leads out.
PULLS = {
    "include": (f'# {TITLE}\n\n{{% include "part.j2" %}}\n', f"{SECRET}\n"),
    "extends": ('{% extends "part.j2" %}\n', f"# {TITLE}\n\n{SECRET}\n"),
    "import": (
        f'{{% import "part.j2" as m %}}# {TITLE}\n\n{{{{ m.secret() }}}}\n',
        f"{{% macro secret() %}}{SECRET}{{% endmacro %}}",
    ),
    "from": (
        f'{{% from "part.j2" import secret %}}# {TITLE}\n\n{{{{ secret() }}}}\n',
        f"{{% macro secret() %}}{SECRET}{{% endmacro %}}",
    ),
}


@pytest.mark.parametrize("how", list(PULLS))
def test_a_template_pulling_in_a_link_that_leads_out_is_refused(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    ws = workspace(tmp_path, font)
    form, part = PULLS[how]
    own_form(ws, form)
    link(ws / "模板" / "part.j2", outside(tmp_path, "secret.j2", part))
    code, err = render(ws, capsys)
    assert code == 2, err
    squeezed = re.sub(r"\s+", "", err)
    assert FORM in squeezed and "“part.j2”" in squeezed and "链接" in squeezed
    assert SECRET not in all_output_text(ws)


def test_a_folder_link_on_the_way_to_an_included_template_is_refused(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = workspace(tmp_path, font)
    secret = outside(tmp_path, "part.j2", f"{SECRET}\n")
    link(ws / "模板" / "公用", secret.parent)
    own_form(ws, f'# {TITLE}\n\n{{% include "公用/part.j2" %}}\n')
    code, err = render(ws, capsys)
    assert code == 2, err
    assert "公用" in err and "链接" in err
    assert SECRET not in all_output_text(ws)


def test_a_template_that_is_a_link_is_refused_even_within_the_folder(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Any link is refused, not only one leading out: where a link leads can change
    between the look and the read."""
    ws = workspace(tmp_path, font)
    (ws / "模板" / "真正的.j2").write_text(f"# {TITLE}\n\n本单位\n", "utf-8")
    link(ws / "模板" / FORM, ws / "模板" / "真正的.j2")
    code, err = render(ws, capsys)
    assert code == 2, err
    assert FORM in err and "链接" in err
    assert not (ws / "out" / "张三" / "forms" / f"{TITLE}.pdf").exists()


@pytest.mark.parametrize(
    "name",
    ["../../外部/part.j2", "/etc/hostname", "C:/Windows/win.ini", "..\\外部\\part.j2"],
)
def test_an_included_name_leading_out_is_refused_even_when_missing_is_ignored(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """``ignore missing`` must not turn a name that leads out into a silent blank."""
    ws = workspace(tmp_path, font)
    outside(tmp_path, "part.j2", f"{SECRET}\n")
    own_form(ws, f"# {TITLE}\n\n{{% include {json.dumps(name)} ignore missing %}}\n")
    code, err = render(ws, capsys)
    assert code == 2, err
    assert "模板名" in err and FORM in err
    assert SECRET not in all_output_text(ws)


def test_the_letter_loads_its_template_through_the_same_loader(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """zcprep letter fills templates/letter.md.j2 (or the workspace's copy) with render's
    machinery: an include of a link there is refused as well."""
    import shutil

    ws = tmp_path / "nantong-2023"
    shutil.copytree(examples_dir() / "nantong-2023", ws)
    config = ws / "zcprep.toml"
    text = config.read_text("utf-8").replace("[fonts]\n", f"[fonts]\npath = '{font}'\n", 1)
    text = text.replace('date_style = "arabic"', 'date_style = "arabic"\ntemplates_dir = "模板"')
    config.write_text(text, "utf-8")
    (ws / "模板").mkdir()
    letter = (templates_dir() / "letter.md.j2").read_text("utf-8")
    (ws / "模板" / "letter.md.j2").write_text(letter + '\n{% include "part.j2" %}\n', "utf-8")
    link(ws / "模板" / "part.j2", outside(tmp_path, "secret.j2", f"{SECRET}\n"))
    capsys.readouterr()
    code = main(["letter", "-w", str(ws)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "letter.md.j2" in err and "“part.j2”" in err
    assert SECRET not in all_output_text(ws)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_an_included_pipe_is_refused_not_waited_on(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = workspace(tmp_path, font)
    os.mkfifo(ws / "模板" / "part.j2")
    own_form(ws, f'# {TITLE}\n\n{{% include "part.j2" %}}\n')
    code, err = render(ws, capsys)
    assert code == 2, err
    assert "“part.j2”" in err and "不是普通文件" in err


def test_plain_includes_inside_the_folder_still_work(
    tmp_path: Path, font: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = workspace(tmp_path, font)
    (ws / "模板" / "公用").mkdir()
    (ws / "模板" / "公用" / "part.j2").write_text("本单位经公示无异议\n", "utf-8")
    own_form(ws, f'# {TITLE}\n\n{{% include "公用/part.j2" %}}\n')
    code, err = render(ws, capsys)
    assert code == 0, err
    assert "本单位经公示无异议" in all_output_text(ws)

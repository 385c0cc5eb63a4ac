"""What reaches the screen: no ID or phone number in full, no control an applicant planted.

An ID number is quoted in a message exactly when it is wrong (17 digits, spaces, an
unquoted number, 9 digits), so masking only well-formed numbers printed the wrong ones
whole, tracebacks included. And a name, a field or a file name may hold terminal
controls (clear the line, conceal, write the clipboard, reverse the text) that would
let an applicant hide or forge a finding: each is shown as a visible mark instead.
Every case runs the real CLI on a copy of the example workspace.
"""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from pathlib import Path

import pytest

from bind_helpers import example_workspace
from zcprep.cli import main

# Everything a terminal would obey rather than show (tab and newline only lay out).
RAW_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]"
)


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLUMNS", "400")
    return example_workspace(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def set_fields(ws: Path, **toml_values: str) -> None:
    """Replace lines of 张三's applicant.toml with ``key = <TOML value as written>``."""
    path = ws / "dossiers" / "张三" / "applicant.toml"
    text = path.read_text("utf-8")
    for key, value in toml_values.items():
        line = f"{key} = {value}"
        text, count = re.subn(rf"(?m)^{key} = .*$", lambda _m, line=line: line, text)
        assert count == 1, key
    path.write_text(text, "utf-8")


# --------------------------------------------------------------------------- item 1

# (id_number as written in TOML, phone as written, what must never be shown whole)
MALFORMED = [
    pytest.param("1101011990030700", '"139-1234-567"', ["1101011990030700", "1391234567"],
                 id="unquoted-16-digits"),
    pytest.param('"11010119900307002"', '"1391234"', ["11010119900307002", "1391234"],
                 id="17-digits-7-digit-phone"),
    pytest.param('"1101 0119 9003 0700 2"', "13912345678", ["11010119900307002", "13912345678"],
                 id="spaced-unquoted-phone"),
    pytest.param('"110101199"', '"+86 139 1234 567"', ["110101199", "1391234567"],
                 id="9-digits"),
    pytest.param("[110101199003]", '"139abc45678"', ["110101199003", "139abc45678"],
                 id="a-list-letters-in-phone"),
    pytest.param('"1101011990030700211234"', '"1391234567890"', ["1101011990030700211234",
                 "1391234567890"], id="22-digits-13-digit-phone"),
]  # fmt: skip


@pytest.mark.parametrize(("id_number", "phone", "secrets"), MALFORMED)
def test_a_malformed_id_or_phone_is_never_shown_whole(
    ws: Path, capsys: pytest.CaptureFixture[str], id_number: str, phone: str, secrets: list[str]
) -> None:
    set_fields(ws, id_number=id_number, phone=phone)
    printed = ""
    for args in (["check"], ["render"], ["bind", "张三"], ["roster"], ["letter"]):
        code, output = run(capsys, *args, "--workspace", str(ws))
        assert code in (0, 1), output
        printed += output
    assert "*" * 3 in printed  # something was quoted, masked
    for secret in secrets:
        assert secret not in printed

    _code, shown = run(capsys, "--show-private", "check", "--workspace", str(ws))
    assert any(secret in shown for secret in secrets)  # the officer can ask to see it


def test_the_value_is_masked_in_a_debug_traceback_too(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A workspace template with a mistake that quotes the value in Python's own
    exception: the --debug traceback and the error line both show it masked."""
    set_fields(ws, id_number='"110101199"')
    folder = ws / "模板"
    folder.mkdir()
    (folder / "commitment.md.j2").write_text("# 承诺书\n{{ [].index(applicant.id_number) }}\n")
    config = ws / "zcprep.toml"
    text = config.read_text("utf-8").replace("[render]\n", '[render]\ntemplates_dir = "模板"\n')
    config.write_text(text, "utf-8")

    code, output = run(capsys, "--debug", "render", "张三", "--workspace", str(ws))
    assert code == 2 and "Traceback" in output and "is not in list" in output
    assert "110101199" not in output and "'11*****99' is not in list" in output

    code, output = run(
        capsys, "--debug", "--show-private", "render", "张三", "--workspace", str(ws)
    )
    assert code == 2 and "'110101199' is not in list" in output


def test_a_debug_traceback_masks_a_17_digit_number(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, output = run(capsys, "--debug", "bind", "11010119900307002", "--workspace", str(ws))
    assert code == 2 and "Traceback" in output
    assert "11010119900307002" not in output and "1101*********7002" in output


# --------------------------------------------------------------------------- item 7

PLANTED = "\x1b[2K\x1b]52;c;ZXZpbA==\x07\x1b[8m隐\x9b2K\u202e反"
SHOWN = "␛[2K␛]52;c;ZXZpbA==␇␛[8m隐<U+009B>2K<U+202E>反"


def toml_string(text: str) -> str:
    """A TOML basic string holding ``text`` (controls as \\uXXXX escapes)."""
    return '"' + "".join(f"\\u{ord(c):04x}" if not c.isprintable() else c for c in text) + '"'


def test_controls_in_a_name_and_a_field_are_shown_not_obeyed(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_fields(ws, name=toml_string(f"张{PLANTED}三"), gender=toml_string(f"{PLANTED}男"))
    printed = ""
    for args in (["check"], ["render", "张三"], ["bind", "张三"], ["roster"]):
        _code, output = run(capsys, *args, "--workspace", str(ws))
        printed += output
    assert not RAW_CONTROLS.search(printed), RAW_CONTROLS.findall(printed)
    assert f"张{SHOWN}三" in printed  # the check's heading for the dossier
    assert f"“{SHOWN}男”" in printed  # the gender finding quotes the value, visibly


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="control characters (ESC, BEL) are not allowed in an NTFS file name",
)
def test_controls_in_a_file_name_are_shown_and_json_keeps_them_escaped(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"x{PLANTED}y.pdf"
    (ws / "dossiers" / "张三" / name).write_bytes(b"%PDF-1.4\n")
    code, output = run(capsys, "check", "张三", "--workspace", str(ws))
    assert code == 0 and not RAW_CONTROLS.search(output)  # material-unexpected: a warning
    assert f"x{SHOWN}y.pdf" in output

    code, output = run(capsys, "check", "张三", "--json", "--workspace", str(ws))
    assert not RAW_CONTROLS.search(output)  # escaped as \u009b, \u202e …
    report = json.loads(output[: output.rindex("}") + 1])
    files = [f["file"] for d in report["dossiers"] for f in d["findings"] if f["file"]]
    assert f"dossiers/张三/{name}" in files  # the officer's record keeps the name exactly


def test_controls_in_a_zip_entry_name_are_shown_by_add(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"03-证书/证书{PLANTED}.pdf", b"%PDF-1.4\n")
        archive.writestr(f"../外面{PLANTED}.pdf", b"%PDF-1.4\n")  # refused, and listed
    path = ws.parent / "材料.zip"
    path.write_bytes(buffer.getvalue())
    _code, output = run(capsys, "add", "王五", str(path), "--workspace", str(ws))
    assert not RAW_CONTROLS.search(output), RAW_CONTROLS.findall(output)
    assert f"外面{SHOWN}.pdf" in output


def test_rich_markup_and_emoji_codes_in_a_value_print_as_written(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In the dossier's heading (a table title) and in a finding (a table cell)."""
    forged = "[bold red]伪造[/] [link=http://x]点[/link] :warning:"
    set_fields(ws, name=toml_string(f"张三{forged}"), gender=toml_string(forged))
    code, output = run(capsys, "check", "张三", "--workspace", str(ws))
    assert code == 1 and f"张三{forged}（中级" in output and f"“{forged}”" in output
    assert "⚠" not in output


def test_styles_stay_on_their_text_when_a_mark_is_longer_than_its_control(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The finding's code is appended dim after the message: with the message's ESC
    shown as ␛ and its C1 as <U+009B>, the dim style still covers exactly the code."""
    from rich.text import Text

    from zcprep.cli.console import err

    monkeypatch.setenv("FORCE_COLOR", "1")  # styles written as a terminal gets them
    problem = Text("文件 x\x1b[2K\x9by.pdf 不属于任何一项材料")
    problem.append("\nmaterial-unexpected", style="dim")
    err().print(problem)
    written = capsys.readouterr().err
    assert "文件 x␛[2K<U+009B>y.pdf 不属于任何一项材料" in written
    assert "\x1b[2mmaterial-unexpected\x1b[0m" in written
    assert "\x1b[2K" not in written and "\x9b" not in written

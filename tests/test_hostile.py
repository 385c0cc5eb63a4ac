"""Hostile input: every command over a corpus of broken, odd and malicious files.

Nothing crashes (an exit code from DESIGN.md, never a traceback), nothing hangs (a time
bound per command), nothing is changed (every input file's sha256 and the tree outside
out/ are the same after every command), nothing leaves the workspace (links are never
followed outside), and what could not be used is said, file by file.
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from bind_helpers import example_workspace
from hostile_corpus import (
    LONG_DOSSIER,
    LONG_NAME,
    NFD_NAME,
    OUTSIDE_MARKER,
    PAPERS,
    POSIX_CORPUS,
    QUALIFICATION,
    Corpus,
    build_corpus,
    gbk_dossier,
    input_hashes,
    many_kids_pdf,
    remove_deep_tree,
    text_pdf,
    tree_listing,
)
from zcprep.bind import bind_dossier, bind_dossiers
from zcprep.cli import main
from zcprep.errors import InputError
from zcprep.model.workspace import open_workspace

EXIT_CODES = {0, 1, 2, 3}

# What check must say about each hostile file of 王五 (by file name, NFC).
EXPECTED_FINDINGS = {
    "1-空文件.pdf": "file-empty",
    "2-随机字节.pdf": "file-type-mismatch",
    "3-截断.pdf": "file-unreadable",
    "4-交叉引用损坏.pdf": "file-unreadable",
    "5-嵌套数组.pdf": "file-unreadable",
    "8-页树循环.pdf": "file-unreadable",
    "9-用户密码.pdf": "file-encrypted",
    "10-权限密码.pdf": "file-permissions-restricted",
    "1-截断图片.jpg": "file-unreadable",
    "5-手机照片.heic": "file-unsupported",
    "8-截断透明.png": "file-unreadable",
    "9-巨图.jpg": "file-unreadable",
    "10-巨图.png": "file-unreadable",
    "11-随机字节.jpg": "file-type-mismatch",
    "1-Word文档.pdf": "file-type-mismatch",
    "2-旧版Word.pdf": "file-type-mismatch",
    "3-网页.pdf": "file-type-mismatch",
    "外部文件.pdf": "file-link-outside",
    "外部文件夹": "file-link-outside",
    "系统文件.pdf": "file-link-outside",
    "根目录外链.pdf": "file-link-outside",
    "08-外部": "file-link-outside",
    "环a.pdf": "file-link-outside",
    "环b.pdf": "file-link-outside",
    "自环.pdf": "file-link-outside",
    "断链.pdf": "file-unreadable",
    "管道链接.pdf": "file-unreadable",
    "证书.pdf": "file-name-undecodable",  # the GBK name, decoded for display
    "同档案.pdf": "duplicate-file",  # a link inside the dossier is followed: a real copy
}
# Odd but usable: check has nothing to say about them (cross-dossier notes aside).
USABLE = {
    "0-正常证书.pdf",
    "6-嵌套数组-浅.pdf",
    "7-页数巨大.pdf",
    "2-CMYK.jpg",
    "3-16位.png",
    "4-透明.png",
    "6-方向9.jpg",
    "7-方向0.jpg",
    "里面的文件.pdf",
    unicodedata.normalize("NFC", NFD_NAME),
    LONG_NAME,
    "页数很多.pdf",
    "最深处.pdf",
}
# What bind --force leaves out of 王五's volume, each named with why.
UNBINDABLE = {
    "1-空文件.pdf",
    "2-随机字节.pdf",
    "3-截断.pdf",
    "4-交叉引用损坏.pdf",
    "5-嵌套数组.pdf",
    "8-页树循环.pdf",
    "9-用户密码.pdf",
    "8-截断透明.png",
    "9-巨图.jpg",
    "10-巨图.png",
    "11-随机字节.jpg",
    "1-截断图片.jpg",  # check calls it broken: never bound (it was embedded as it was)
    "1-Word文档.pdf",
    "2-旧版Word.pdf",
    "3-网页.pdf",
}
NEVER_BOUND = ("外部", "系统文件", "根目录外链", "环", "断链", "管道", "heic")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    built = build_corpus(tmp_path_factory.mktemp("hostile"))
    yield built
    remove_deep_tree(built)


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def name_of(path: str) -> str:
    return unicodedata.normalize("NFC", path.rsplit("/", 1)[-1])


# --------------------------------------------------------------------------- every command


COMMANDS = [
    (["check"], {1}),
    (["check", "--json"], {1}),
    (["bind", "--force", "--dry-run"], {3}),
    (["bind", "--force"], {3}),  # some dossiers cannot be bound at all (see below)
    (["bind"], {3}),
    (["render"], {1}),
    (["roster"], {1}),  # the hostile corpus leaves applicants out
    (["check", "王五", "--show-private"], {1}),
]


@POSIX_CORPUS
@pytest.mark.parametrize(("args", "codes"), COMMANDS, ids=[" ".join(a) for a, _ in COMMANDS])
def test_command_survives_the_corpus_and_changes_nothing(
    corpus: Corpus, capsys: pytest.CaptureFixture[str], args: list[str], codes: set[int]
) -> None:
    hashes, listing = input_hashes(corpus.root), tree_listing(corpus.root)
    outside = input_hashes(corpus.outside)
    code, out, err = run(capsys, *args, "--workspace", str(corpus.root))
    assert code in codes and code in EXIT_CODES, err[-2000:]
    assert "Traceback" not in out + err
    assert "内部错误" not in err
    assert input_hashes(corpus.root) == hashes  # every input byte as it was
    assert input_hashes(corpus.outside) == outside
    changed = tree_listing(corpus.root) ^ listing
    assert all(path.split(os.sep.encode())[0] == b"out" for path in changed), changed
    assert not [p for p in tree_listing(corpus.root) if p.endswith(b".part")]


@POSIX_CORPUS
def test_check_names_every_hostile_file(corpus: Corpus, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "check", "--json", "--workspace", str(corpus.root))
    assert code == 1
    report = {d["path"]: d for d in json.loads(out)["dossiers"]}
    findings = report["dossiers/王五"]["findings"]
    assert "check-failed" not in {f["code"] for f in findings}
    said: dict[str, set[str]] = {}
    for finding in findings:
        if finding["file"]:
            said.setdefault(name_of(finding["file"]), set()).add(finding["code"])
    for name, code_expected in EXPECTED_FINDINGS.items():
        assert code_expected in said.get(name, set()), (name, said.get(name))
    for name in USABLE:  # usable: bound (a repaired one from its repaired copy)
        allowed = {"duplicate-across-dossiers", "file-repaired"}
        assert said.get(name, set()) <= allowed, (name, said[name])
    # the GBK file name is shown decoded, never as mojibake or escapes
    gbk = next(f for f in findings if f["code"] == "file-name-undecodable")
    assert gbk["file"].endswith("06-业绩成果证明材料及获奖证书/证书.pdf")


@POSIX_CORPUS
def test_check_reads_applicant_files_as_officers_save_them(
    corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    _code, out, _err = run(capsys, "check", "--json", "--workspace", str(corpus.root))
    report = {d["path"]: d for d in json.loads(out)["dossiers"]}

    def codes(name: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for finding in report[f"dossiers/{name}"]["findings"]:
            found.setdefault(finding["code"], []).append(finding["message"])
        return found

    bom = codes("赵六")  # UTF-8 with BOM; dates as 2012.7.1, 2012年7月15日, 2012/7/15, 20160630
    assert report["dossiers/赵六"]["level"] == "中级"
    assert "applicant-field-invalid" not in bom and "applicant-file-invalid" not in bom
    gbk = codes("钱七")
    assert any("GBK" in m for m in gbk["applicant-file-note"])
    assert "applicant-field-invalid" not in gbk
    wrong = codes("孙八")  # every bad value a finding, unknown keys warned, nothing dropped
    assert len(wrong["applicant-field-invalid"]) >= 15
    assert {m.split("“")[1].split("”")[0] for m in wrong["applicant-field-unknown"]} == {
        "favourite_colour",
        "idnumber",
    }
    assert "check-failed" not in wrong
    assert "既不是 UTF-8 也不是 GBK" in codes("周九")["applicant-file-invalid"][0]
    assert "档案文件夹以外的链接" in codes("吴十")["applicant-file-invalid"][0]
    assert "不是普通文件" in codes("冯十二")["applicant-file-invalid"][0]
    assert "嵌套的层数" in codes("褚十三")["applicant-file-invalid"][0]
    # the dossier whose folder name is GBK bytes is named readably
    assert any(d["applicant"] == "陈静" for d in report.values())


@POSIX_CORPUS
def test_bind_force_binds_what_it_can_and_lists_the_rest(
    corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "bind", "--force", "--workspace", str(corpus.root))
    assert code == 3  # the dossiers below could not be bound at all
    assert "文件名太长" in err  # LONG_DOSSIER: out/NAME/NAME-申报材料.pdf exceeds 255 bytes
    for refused in ("冯十二", "吴十", "周九", "褚十三"):
        assert f"错误：{refused}：" in err
    # 王五's check errors (the hostile files) make his volume a preview
    volume = corpus.root / "out" / "王五" / "王五-申报材料-预览稿.pdf"
    sidecar = json.loads(volume.with_suffix(".json").read_text("utf-8"))
    assert {name_of(line.split("：")[0]) for line in sidecar["skipped"]} == UNBINDABLE
    bound = [name_of(f) for item in sidecar["items"] for f in item["files"]]
    assert not [f for f in bound if any(part in f for part in NEVER_BOUND)], bound
    assert set(bound) >= USABLE
    assert "证书.pdf" in bound  # the GBK name, readable in the sidecar
    assert "未装订的文件 王五：15 个文件无法读取" in err
    data = decoded_streams(volume)
    assert b"(deep 1) Tj" in data  # a bound file's text is found this way …
    assert OUTSIDE_MARKER.encode() not in data  # … and nothing from outside the workspace
    reader = PdfReader(volume)
    assert len(reader.pages) == sidecar["total_pages"]
    gbk = gbk_dossier()
    (gbk_volume,) = (corpus.root / "out" / gbk).glob(f"{gbk}-申报材料*.pdf")
    assert PdfReader(gbk_volume).metadata["/Title"].startswith("陈静 申报材料")
    long_out = corpus.root / "out" / LONG_DOSSIER
    assert not list(long_out.glob("*申报材料*")) and not list(long_out.glob(".*"))  # no half file


def decoded_streams(path: Path) -> bytes:
    """Every stream of a PDF, decoded (the volume compresses what its inputs did not)."""
    import pikepdf

    parts = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") != "/Image":
                parts.append(obj.read_bytes())
    return b"\n".join(parts)


@POSIX_CORPUS
def test_bind_without_force_refuses_and_core_names_the_first_unreadable_file(
    corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    result = bind_dossiers(open_workspace(corpus.root), ["王五"], force=False)
    assert [r.dossier for r in result.refused] == ["王五"] and result.exit_code == 1
    ws = open_workspace(corpus.root)
    font = _font(ws)
    with pytest.raises(InputError) as raised:
        bind_dossier(ws, corpus.root / "dossiers" / "王五", font)
    assert "1-空文件.pdf" in raised.value.message


def _font(ws: Any) -> Any:
    from zcprep.bind.plan import _volume_font

    return _volume_font(ws, [])


@POSIX_CORPUS
def test_render_and_roster_name_the_gbk_dossier_readably(
    corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    code, _out, err = run(capsys, "render", "--workspace", str(corpus.root))
    assert code == 1
    assert "跳过 dossiers/冯十二" in err and "跳过 dossiers/吴十" in err
    forms = corpus.root / "out" / gbk_dossier() / "forms"
    assert sorted(p.suffix for p in forms.iterdir()) == [".pdf", ".pdf"]
    code, _out, err = run(capsys, "roster", "--workspace", str(corpus.root))
    assert code == 1, err  # some applicants are left out of the sheet
    book = load_workbook(corpus.root / "out" / "情况一览表-中级.xlsx")
    names = [row[1] for row in book.active.iter_rows(min_row=4, values_only=True)]
    assert "陈静" in names and "王五" in names
    assert "Traceback" not in err


# --------------------------------------------------------------------------- time bound


def test_a_file_over_the_time_limit_is_left_out_not_waited_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The per-file limit is real: with the limit lowered to 0.3 s (the example's files
    take milliseconds), a page tree that takes seconds to read is cut short by the alarm
    in bind as it is in check: the file is left out with its finding (how long that
    took is the bench's business, not a test's)."""
    import zcprep.probe

    root = example_workspace(tmp_path)
    slow = root / "dossiers" / "张三" / PAPERS / "慢.pdf"
    slow.write_bytes(many_kids_pdf(50000))
    monkeypatch.setattr(zcprep.probe, "FILE_TIME_LIMIT", 0.3)
    code, _out, err = run(capsys, "bind", "张三", "--force", "--workspace", str(root))
    assert code == 1 and "慢.pdf：读取超过 0.3 秒仍未读完" in err, err
    (found,) = (root / "out" / "张三").glob("张三-申报材料*.json")  # a preview: check's error
    sidecar = json.loads(found.read_text("utf-8"))
    assert all("慢.pdf" not in f for item in sidecar["items"] for f in item["files"])
    assert [line.split("：")[0].rsplit("/", 1)[-1] for line in sidecar["skipped"]] == ["慢.pdf"]


# --------------------------------------------------------------------------- config files

NOTICE_EDITS = {
    "bom": (lambda text: text, "utf-8-sig", None, {0, 1}),
    "gbk": (lambda text: text, "gbk", "GBK 编码", {0, 1}),
    "unknown-key": (
        lambda text: text.replace('kind = "评审"', 'kind = "评审"\ncolour = "红"'),
        "utf-8",
        "未知的配置项“notice.colour”",
        {2},
    ),
    "dotted-date": (
        lambda text: text.replace("issued = 2023-04-20", 'issued = "2023.4.20"'),
        "utf-8",
        None,
        {0, 1},
    ),
    "chinese-date": (
        lambda text: text.replace(
            "seniority_cutoff = 2022-12-31", 'seniority_cutoff = "2022年12月31日"'
        ),
        "utf-8",
        None,
        {0, 1},
    ),
    "wrong-type": (
        lambda text: text.replace("year = 2023", 'year = "二〇二三"'),
        "utf-8",
        "notice.year：应为整数",
        {2},
    ),
    "wrong-number": (
        lambda text: text.replace("min_working_days = 5", 'min_working_days = "五"'),
        "utf-8",
        "publicity.min_working_days：应为整数",
        {2},
    ),
    "bad-date": (
        lambda text: text.replace("issued = 2023-04-20", 'issued = "2023年13月1日"'),
        "utf-8",
        "notice.issued",
        {2},
    ),
    "broken-toml": (lambda text: text + '\n[[levels]\nname = "', "utf-8", "TOML 格式错误", {2}),
    "deep-nesting": (lambda text: text + "\nx = " + "[" * 3000 + "]" * 3000, "utf-8", "嵌套", {2}),
}


@pytest.mark.parametrize("case", sorted(NOTICE_EDITS))
def test_hostile_notice_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    edit, encoding, said, codes = NOTICE_EDITS[case]
    root = example_workspace(tmp_path)
    config = root / "zcprep.toml"
    config.write_bytes(edit(config.read_text("utf-8")).encode(encoding))
    before = input_hashes(root)
    for command in (["check"], ["roster"]):
        code, out, err = run(capsys, *command, "--workspace", str(root))
        assert code in codes | ({0} if command == ["roster"] and 2 not in codes else set()), err
        assert "Traceback" not in out + err
        if said:
            assert said in err.replace("\n", ""), err
    assert input_hashes(root) == before


def test_a_config_that_is_neither_utf8_nor_gbk_is_refused_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example_workspace(tmp_path)
    (root / "zcprep.toml").write_bytes(b'schema = 1\ntitle = "\xff\xfe\x00\x81"\n')
    code, _out, err = run(capsys, "check", "--workspace", str(root))
    assert code == 2 and "既不是 UTF-8 也不是 GBK" in err and "另存为" in err


# --------------------------------------------------------------------------- nothing lost


def _pdf_writer_breaks_halfway(exc: BaseException) -> Any:
    def write(pdf: Any, stream: Any) -> Any:
        stream.write(b"%PDF-1.7\n% half of a volume")
        raise exc

    return write


def _workbook_save_breaks_halfway(exc: BaseException) -> Any:
    def save(self: Any, filename: Any) -> None:
        filename.write(b"PK\x03\x04 half of a workbook")
        raise exc

    return save


def _form_writer_breaks_halfway(exc: BaseException) -> Any:
    def write_pdf(handle: Any, *args: Any, **kwargs: Any) -> None:
        handle.write(b"%PDF-1.4\n% half of a form")
        raise exc

    return write_pdf


def _break(monkeypatch: pytest.MonkeyPatch, command: str, exc: BaseException) -> None:
    if command == "bind":
        import zcprep.bind.run

        monkeypatch.setattr(zcprep.bind.run, "_write", _pdf_writer_breaks_halfway(exc))
    elif command == "roster":
        from openpyxl import Workbook

        monkeypatch.setattr(Workbook, "save", _workbook_save_breaks_halfway(exc))
    else:
        import zcprep.render.pdf

        monkeypatch.setattr(zcprep.render.pdf, "write_pdf", _form_writer_breaks_halfway(exc))


OUTPUTS = {
    "bind": "out/张三/张三-申报材料.pdf",
    "render": "out/张三/forms/公示结果证明.pdf",
    "roster": "out/情况一览表-中级.xlsx",
}
FAILURES = [
    ("interrupt", KeyboardInterrupt(), 130, "已中断"),
    ("disk-full", OSError(28, "No space left on device"), 3, "磁盘已满"),
    ("bug", RuntimeError("boom"), 3, "内部错误"),
]


def _outputs(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "out").rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("command", sorted(OUTPUTS))
@pytest.mark.parametrize(("why", "exc", "code", "said"), FAILURES, ids=[f[0] for f in FAILURES])
def test_an_interrupted_run_leaves_the_previous_output_or_none(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    why: str,
    exc: BaseException,
    code: int,
    said: str,
) -> None:
    root = example_workspace(tmp_path)
    args = [command, *(["张三", "--force"] if command == "bind" else [])]
    args += ["--workspace", str(root)]
    inputs = input_hashes(root)

    # first run: nothing there yet, the writer breaks: no file, no .part left behind
    with monkeypatch.context() as patch:
        _break(patch, command, exc)
        got, _out, err = run(capsys, *args)
    assert got == code and said in err and "Traceback" not in err
    assert not (root / OUTPUTS[command]).exists()
    assert not [p for p in (root / "out").rglob("*") if p.is_file()]

    # a good run, then a broken one: the good output stays, byte for byte
    assert run(capsys, *args)[0] in (0, 1)
    previous = _outputs(root)
    assert OUTPUTS[command] in previous
    with monkeypatch.context() as patch:
        _break(patch, command, exc)
        got, _out, err = run(capsys, *args)
    assert got == code and "Traceback" not in err
    assert _outputs(root) == previous
    assert not [p for p in (root / "out").rglob("*.part")]
    assert not [p for p in (root / "out").rglob(".*")]
    assert input_hashes(root) == inputs


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "--json"],
        ["bind"],
        ["bind", "--force"],
        ["render"],
        ["render", "--docx"],
        ["roster"],
        ["doctor"],
    ],
    ids=lambda a: " ".join(a),
)
def test_out_is_the_only_place_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    root = example_workspace(tmp_path)
    (root / "out").mkdir(exist_ok=True)
    snapshot = {k: v for k, v in input_hashes(root).items()}
    listing = {p for p in tree_listing(root) if not p.startswith(b"out")}
    siblings = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(capsys, *args, "--workspace", str(root))
    assert code in EXIT_CODES and "Traceback" not in out + err
    assert input_hashes(root) == snapshot
    assert {p for p in tree_listing(root) if not p.startswith(b"out")} == listing
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings  # nothing beside it either


def test_replaced_output_is_complete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second run replaces the volume by a whole new one (readable, all pages)."""
    root = example_workspace(tmp_path)
    args = ["bind", "张三", "--workspace", str(root)]
    assert run(capsys, *args)[0] == 0
    volume = root / "out" / "张三" / "张三-申报材料.pdf"
    first = len(PdfReader(volume).pages)
    (root / "dossiers" / "张三" / QUALIFICATION / "补充.pdf").write_bytes(text_pdf("more", 2))
    assert run(capsys, *args)[0] == 0
    assert len(PdfReader(volume).pages) == first + 2
    assert sorted(p.name for p in volume.parent.iterdir()) == [
        "张三-申报材料.json",
        "张三-申报材料.pdf",
    ]


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="the 255-byte name limit is ext4's: NTFS counts 255 UTF-16 units, so 长×85 fits",
)
def test_outputs_with_names_near_the_limit_are_written(tmp_path: Path) -> None:
    """The temporary name (.NAME.xxxxxxxx.part) must not be what breaks the 255-byte limit."""
    from zcprep.atomic import write_bytes
    from zcprep.errors import OutputError

    fits = tmp_path / ("长" * 82 + ".pdf")  # 250 bytes
    write_bytes(fits, b"%PDF-1.4")
    assert fits.read_bytes() == b"%PDF-1.4"
    too_long = tmp_path / ("长" * 85 + ".pdf")  # 259 bytes
    with pytest.raises(OutputError, match="文件名太长"):
        write_bytes(too_long, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == [fits.name]

"""Drafts are not scans: zcprep's own unsigned forms, a bound volume or a 补正告知单 dropped
into a material folder, caught by check; real scans and the applicant's own born-digital
PDFs never are.

Real workspaces: the Qingdao preset (its 六公开监督卡 is both a render form and material 02)
and the packaged Nantong example, forms rendered with the tiny test font, volumes bound,
files changed with pikepdf as another program would, everything read back.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

from bind_helpers import example_workspace
from check_helpers import docx_bytes, id_with_check, put_file, right_applicant, scan_pdf, toml_text
from fontgen import build_ttf
from zcprep.cache import CACHE_ENV
from zcprep.check import drafts, run_check
from zcprep.cli import main
from zcprep.model.workspace import open_workspace
from zcprep.probe import probe_file
from zcprep.probe.pdf import text_digest
from zcprep.render import FORMS_FOLDER
from zcprep.report import Finding
from zcprep.resources import templates_dir

CARD = "推荐申报专业技术职称“六公开”监督卡"
CARD_FOLDER = "02-六公开监督卡"
APPLICANTS = {"张三": "320602199003071236", "李四": id_with_check("37020219880512301")}
OWN_CODES = {"material-draft", "material-bound-volume"}


def _qingdao(root: Path) -> Path:
    """``zcprep init qingdao-2024`` + two applicants, the test font and the unit filled,
    then ``zcprep render --docx``."""
    extra = "".join(p.read_text("utf-8") for p in templates_dir().glob("*.j2"))
    font = build_ttf(root / "test-song.ttf", extra=extra + "二〇三五八十＿")
    ws = root / "qingdao"
    assert main(["init", "qingdao-2024", str(ws)]) == 0
    config = ws / "zcprep.toml"
    text = config.read_text("utf-8").replace("[fonts]\n", f"[fonts]\npath = '{font}'\n", 1)
    text = re.sub(r'(\[unit\]\s*\nname = )""', r'\1"青岛示例网络科技有限公司"', text)
    config.write_text(text, "utf-8")
    for name, id_number in APPLICANTS.items():
        assert main(["new", name, "-w", str(ws)]) == 0
        data = right_applicant() | {
            "name": name,
            "id_number": id_number,
            "publicity_start": "2024-05-06",
            "publicity_end": "2024-05-10",
        }
        (ws / "dossiers" / name / "applicant.toml").write_text(toml_text(data, []), "utf-8")
    assert main(["render", "--docx", "-w", str(ws)]) == 0
    return ws


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The Qingdao workspace with its forms rendered (its own cache: this module fixture
    is set up before each test's private one)."""
    root = tmp_path_factory.mktemp("qingdao")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
        yield _qingdao(root)


@pytest.fixture
def ws(rendered: Path, tmp_path: Path) -> Path:
    """A copy of the rendered workspace for one test to change."""
    return Path(shutil.copytree(rendered, tmp_path / "qingdao"))


def _draft(ws: Path, name: str = "张三", suffix: str = ".pdf") -> Path:
    path = ws / "out" / name / FORMS_FOLDER / f"{CARD}{suffix}"
    assert path.is_file()
    return path


def _card_folder(ws: Path, name: str = "张三") -> Path:
    return ws / "dossiers" / name / CARD_FOLDER


def _own_findings(ws: Path) -> list[Finding]:
    """check's findings about zcprep's own outputs in material folders (two runs: the
    second takes every verdict from the cache and must say the same)."""
    workspace = open_workspace(ws)
    runs = []
    for _ in range(2):
        report = run_check(workspace)
        runs.append([f for d in report.dossiers for f in d.findings if f.code in OWN_CODES])
    assert runs[0] == runs[1]
    return runs[0]


def _strip_and_resave(source: Path, target: Path) -> None:
    """What a PDF tool does to the draft: new document info, no XMP, objects rewritten."""
    with pikepdf.open(source) as pdf:
        pdf.docinfo = pdf.make_indirect(
            pikepdf.Dictionary(Title=pikepdf.String("扫描件"), Producer=pikepdf.String("某阅读器"))
        )
        if "/Metadata" in pdf.Root:
            del pdf.Root.Metadata
        pdf.save(target, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def test_the_rendered_card_copied_into_its_folder_is_an_unsigned_draft(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _card_folder(ws) / "监督卡.pdf"
    shutil.copyfile(_draft(ws), copy)
    [finding] = _own_findings(ws)
    assert (finding.code, finding.severity, finding.material, finding.file) == (
        "material-draft",
        "error",
        "six-openness",
        "dossiers/张三/02-六公开监督卡/监督卡.pdf",
    )
    assert "未签字盖章的草稿" in finding.message
    assert f"out/张三/forms/{CARD}.pdf 完全相同" in finding.message
    assert "签字、盖章后扫描" in finding.hint and "替换这个文件" in finding.hint
    capsys.readouterr()
    assert main(["check", "张三", "--json", "-w", str(ws)]) == 1
    shown = json.loads(capsys.readouterr().out)
    codes = [f["code"] for d in shown["dossiers"] for f in d["findings"]]
    assert "material-draft" in codes


def test_a_draft_stripped_of_its_metadata_and_saved_again_is_caught_by_its_text(
    ws: Path,
) -> None:
    """李四's card, its properties replaced by a PDF tool, put in 张三's folder."""
    target = _card_folder(ws) / "监督卡（已另存）.pdf"
    _strip_and_resave(_draft(ws, "李四"), target)
    assert target.read_bytes() != _draft(ws, "李四").read_bytes()
    with pikepdf.open(target) as pdf:
        assert "/Creator" not in pdf.docinfo
    [finding] = _own_findings(ws)
    assert (finding.code, finding.file) == (
        "material-draft",
        "dossiers/张三/02-六公开监督卡/监督卡（已另存）.pdf",
    )
    assert f"out/李四/forms/{CARD}.pdf 文字相同" in finding.message


def test_a_draft_whose_out_folder_is_gone_is_caught_by_its_metadata(ws: Path) -> None:
    shutil.copyfile(_draft(ws), _card_folder(ws) / "监督卡.pdf")
    shutil.rmtree(ws / "out")
    [finding] = _own_findings(ws)
    assert finding.code == "material-draft"
    assert f"文件属性表明它是 zcprep render 生成的《{CARD}》" in finding.message


def test_a_stripped_draft_without_out_has_nothing_left_to_match(ws: Path) -> None:
    """The limit, said plainly: no metadata and no render output to compare with."""
    _strip_and_resave(_draft(ws), _card_folder(ws) / "监督卡.pdf")
    shutil.rmtree(ws / "out")
    assert _own_findings(ws) == []


def test_real_scans_are_never_drafts_even_with_the_drafts_text_layer(ws: Path) -> None:
    """An image-only scan, and a scan carrying the draft's very words as its text layer
    (as an OCR app would add them): both are what the notice asks for."""
    put_file(_card_folder(ws) / "扫描件.pdf", scan_pdf(1, seed=7))
    with pikepdf.open(io.BytesIO(scan_pdf(1, seed=8))) as scan, pikepdf.open(_draft(ws)) as card:
        scan.pages[0].add_overlay(card.pages[0])
        scan.save(_card_folder(ws) / "扫描件（带文字层）.pdf")
    with_text = probe_file(_card_folder(ws) / "扫描件（带文字层）.pdf")
    assert with_text.text_digest == probe_file(_draft(ws)).text_digest is not None
    assert with_text.pages[0].scan_cover > 0.9
    assert probe_file(_card_folder(ws) / "扫描件.pdf").text_digest is None
    assert _own_findings(ws) == []


def test_the_rendered_docx_is_refused_as_the_draft_it_is(ws: Path) -> None:
    shutil.copyfile(_draft(ws, suffix=".docx"), _card_folder(ws) / "监督卡.docx")
    put_file(_card_folder(ws) / "说明.docx", docx_bytes())
    report = run_check(open_workspace(ws), ["张三"])
    found = {
        Path(f.file or "").name: f
        for f in report.dossiers[0].findings
        if f.code == "file-unsupported"
    }
    assert f"是 zcprep render 生成的《{CARD}》未签字盖章的草稿" in found["监督卡.docx"].message
    assert found["监督卡.docx"].hint == drafts.DRAFT_HINT
    assert "草稿" not in found["说明.docx"].message
    assert found["说明.docx"].hint != drafts.DRAFT_HINT


def test_a_rendered_docx_saved_under_another_title_is_known_by_its_bytes(ws: Path) -> None:
    """Same bytes as out/…/X.docx: the draft, whatever its properties say."""
    shutil.copyfile(_draft(ws, suffix=".docx"), _card_folder(ws) / "卡.docx")
    workspace = open_workspace(ws)
    workspace.notice.render.forms.clear()  # no title to recognise: only out/ is left
    report = run_check(workspace, ["张三"])
    [finding] = [f for f in report.dossiers[0].findings if f.code == "file-unsupported"]
    assert f"《{CARD}》未签字盖章的草稿" in finding.message


def test_a_bound_volume_or_a_letter_in_a_material_folder_is_said_for_what_it_is(
    tmp_path: Path,
) -> None:
    """The Nantong example: rendering and binding leave the applicant's own born-digital
    PDFs alone; a volume put back into a folder is a volume, the 补正告知单 a letter."""
    ws = example_workspace(tmp_path)
    assert main(["render", "-w", str(ws)]) == 0
    main(["bind", "张三", "-w", str(ws)])
    main(["letter", "李四", "-w", str(ws)])
    volume, letter = ws / "out/张三/张三-申报材料.pdf", ws / "out/李四/补正告知单.pdf"
    assert volume.is_file() and letter.is_file()
    assert _own_findings(ws) == []
    folder = ws / "dossiers/张三/06-业绩成果证明材料及获奖证书"
    shutil.copyfile(volume, folder / "3-申报材料.pdf")
    shutil.copyfile(letter, folder / "4-告知单.pdf")
    found = {Path(f.file or "").name: f for f in _own_findings(ws)}
    assert set(found) == {"3-申报材料.pdf", "4-告知单.pdf"}
    assert (found["3-申报材料.pdf"].code, found["3-申报材料.pdf"].severity) == (
        "material-bound-volume",
        "error",
    )
    assert "zcprep bind 装订好的整本申报册，不是一份材料" in found["3-申报材料.pdf"].message
    assert found["4-告知单.pdf"].code == "material-draft"
    assert "zcprep 生成的《材料补正告知单》，不是这项材料" in found["4-告知单.pdf"].message


def test_the_text_digest_ignores_spacing_and_width_but_not_words() -> None:
    assert text_digest(["推荐单位 （盖章）\n 张三"]) == text_digest(["推荐单位(盖章)张三"])
    assert text_digest(["推荐单位（盖章）张三"]) != text_digest(["推荐单位（盖章）李四"])
    assert text_digest([" \n", ""]) is None


def test_check_looks_for_drafts_where_render_writes_them() -> None:
    assert drafts.FORMS_FOLDER == FORMS_FOLDER

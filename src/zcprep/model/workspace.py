"""A workspace is a folder with one zcprep.toml (one notice), dossiers/ and out/.

Commands find it like git finds a repository: walk up from the current folder to the
first zcprep.toml, unless ``--workspace`` names it.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from zcprep.atomic import is_link, linked_output_folder, write_bytes, write_text
from zcprep.errors import OutputError, UsageError, WorkspaceNotFound
from zcprep.model.applicant import applicant_template
from zcprep.model.config import LoadedNotice, load_notice
from zcprep.model.notice import Notice
from zcprep.model.presets import preset_path
from zcprep.names import windows_problem
from zcprep.oserrors import os_problem

CONFIG_NAME = "zcprep.toml"
APPLICANT_FILE = "applicant.toml"
BATCH_DIR = "batch"


@dataclass
class Workspace:
    root: Path
    loaded: LoadedNotice

    @property
    def notice(self) -> Notice:
        return self.loaded.notice

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def dossiers_dir(self) -> Path:
        return self.root / "dossiers"

    @property
    def out_dir(self) -> Path:
        """out/, where every output goes. A link or junction there is refused (OutputError)
        before anything is made: the outputs would land where it points, e.g. in a dossier;
        zcprep.atomic refuses links further down (out/NAME) as each file is written."""
        out = self.root / "out"
        if is_link(out):
            raise linked_output_folder(out, self.root)
        return out

    @property
    def batch_dir(self) -> Path:
        """Materials of the whole batch (花名册, the unit's 推荐意见), one NN-名称 folder each."""
        return self.root / BATCH_DIR

    def relative(self, path: Path) -> str:
        """A path as the user sees it in messages: relative to the workspace, with /."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _dossier_name(self, name: str) -> str:
        """The folder name a user meant. ``dossiers/张三/`` (tab completion) is accepted;
        anything that would leave dossiers/ (``..``, absolute paths) is refused."""
        given = Path(name)
        if len(given.parts) == 1 and name not in (".", "..") and not given.is_absolute():
            return name
        resolved = given.resolve() if given.is_absolute() else (Path.cwd() / given).resolve()
        if resolved.parent == self.dossiers_dir.resolve():
            return resolved.name
        raise UsageError(
            f"“{name}”不是 {self.relative(self.dossiers_dir)} 中的档案。",
            "只写申报人姓名（档案文件夹名），如 zcprep check 张三。",
        )

    def dossier_paths(self, names: list[str] | None = None) -> list[Path]:
        """Dossier folders, all of them sorted by name, or those named (in that order)."""
        if names:
            paths = []
            for name in names:
                path = self.dossiers_dir / self._dossier_name(name)
                if not (path.is_dir() and not is_link(path)):
                    raise self._unknown_dossier(name, path)
                paths.append(path)
            return paths
        return self._all_dossiers()

    def _unknown_dossier(self, name: str, path: Path) -> UsageError:
        """No dossier of that name: the nearest names when there are some."""
        near = nearest_names(name, [p.name for p in self._all_dossiers()])
        if near:
            return UsageError(
                f"没有名为“{name}”的档案（{self.relative(path)}）；是否指：{'、'.join(near)}？",
                f"用正确的姓名重新运行；确是新申报人的，先运行 zcprep new {name} 新建档案。",
            )
        return UsageError(
            f"找不到申报人“{name}”的档案文件夹 {self.relative(path)}。",
            "运行 zcprep new 姓名 新建，或检查姓名是否写错。",
        )

    def _all_dossiers(self) -> list[Path]:
        if not self.dossiers_dir.is_dir():
            return []
        return sorted(
            (
                p
                for p in self.dossiers_dir.iterdir()
                if p.is_dir() and not is_link(p) and not p.name.startswith((".", "_"))
            ),
            key=lambda p: p.name,
        )


def nearest_names(name: str, names: list[str], most: int = 3) -> list[str]:
    """The names closest to ``name``: one character off (王方 → 王芳), or alike by
    difflib's measure; the closest first."""
    import difflib

    wanted = unicodedata.normalize("NFC", name).strip().casefold()

    def likeness(other: str) -> float:
        return difflib.SequenceMatcher(None, wanted, other.casefold(), autojunk=False).ratio()

    near = [
        other
        for other in names
        if other.casefold() != wanted
        and (_one_edit(wanted, other.casefold()) or likeness(other) >= 0.6)
    ]
    return sorted(near, key=lambda other: -likeness(other))[:most]


def _one_edit(a: str, b: str) -> bool:
    """Whether one character changed, added or left out turns ``a`` into ``b``."""
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) == 0:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def as_typed(path: Path) -> Path:
    """``path`` made absolute and tidied (``..`` taken out) without following links:
    ``resolve()`` would turn a mapped drive ``Z:\\`` into ``\\\\server\\share`` (and a
    linked home folder into where it points), and every message would show that longer
    path instead of the one the user knows."""
    return Path(os.path.normpath(path.expanduser().absolute()))


def find_root(start: Path | None = None, explicit: Path | None = None) -> Path:
    if explicit is not None:
        root = as_typed(explicit)
        if root.is_file() and root.name == CONFIG_NAME:
            return root.parent
        if not (root / CONFIG_NAME).is_file():
            raise WorkspaceNotFound(
                f"{explicit} 不是 zcprep 工作区（其中没有 {CONFIG_NAME}）。",
                "用 zcprep init 通知 文件夹 新建工作区，或让 --workspace 指向含 zcprep.toml 的文件夹。",
            )
        return root
    here = as_typed(start or Path.cwd())
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise WorkspaceNotFound(
        f"在 {here} 及其上级文件夹中都找不到 {CONFIG_NAME}。",
        "先进入工作区文件夹，或加 --workspace 文件夹；新建工作区用 zcprep init 通知 文件夹。",
    )


def open_workspace(explicit: Path | None = None, start: Path | None = None) -> Workspace:
    root = find_root(start=start, explicit=explicit)
    return Workspace(root=root, loaded=load_notice(root / CONFIG_NAME))


@dataclass(frozen=True)
class CreatedWorkspace:
    root: Path
    backup: Path | None  # the officer's earlier zcprep.toml, kept aside by --force


def create_workspace(preset_id: str, target: Path, force: bool = False) -> CreatedWorkspace:
    """Create a workspace for a preset. A non-empty folder needs ``force``; even then
    only zcprep.toml is replaced (the officer's edited copy is kept beside it, see
    ``backup_config``) and nothing in dossiers/ is touched."""
    source = preset_path(preset_id)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} 已存在且不是文件夹。", "换一个文件夹名。")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise UsageError(
            f"文件夹 {target} 不是空的，未做任何改动。",
            "换一个新文件夹，或加 --force 覆盖其中的 zcprep.toml（dossiers 中的材料不会被改动）。",
        )
    try:
        (target / "dossiers").mkdir(parents=True, exist_ok=True)
        (target / "out").mkdir(exist_ok=True)
    except OSError as exc:
        raise _cannot_make(target, exc) from None
    backup = backup_config(target / CONFIG_NAME)
    write_text(target / CONFIG_NAME, source.read_text(encoding="utf-8"))
    make_batch_folders(target, load_notice(target / CONFIG_NAME).notice)
    return CreatedWorkspace(root=target, backup=backup)


def make_batch_folders(root: Path, notice: Notice) -> None:
    """batch/NN-名称/ for each item of the whole batch; nothing when the notice has none."""
    items = notice.batch_checklist
    if not items:
        return
    batch = root / BATCH_DIR
    if batch.exists() and not batch.is_dir():
        raise OutputError(
            f"工作区中的 {BATCH_DIR} 是一个文件，不是文件夹，无法建立整批材料的文件夹，未做任何改动。",
            f"把这个 {BATCH_DIR} 文件改名或移走后重试（整批材料如花名册放在 {BATCH_DIR} 文件夹中）。",
        )
    try:
        for material in items:
            (root / BATCH_DIR / material.folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_make(root / BATCH_DIR, exc) from None


def _cannot_make(folder: Path, exc: OSError, shown: str | None = None) -> OutputError:
    problem = os_problem(exc, folder)
    return OutputError(f"无法创建文件夹 {shown or folder}：{problem.reason}。", problem.remedy)


def init_workspace(preset_id: str, target: Path, force: bool = False) -> Path:
    """:func:`create_workspace` for callers that need only the folder (scripts, tests)."""
    return create_workspace(preset_id, target, force).root


def backup_config(config: Path) -> Path | None:
    """Keep an existing zcprep.toml as zcprep.toml.bak (.bak2, .bak3 … if taken)."""
    if not config.is_file():
        return None
    for number in range(1, 1000):
        suffix = ".bak" if number == 1 else f".bak{number}"
        backup = config.with_name(config.name + suffix)
        if not backup.exists():
            write_bytes(backup, config.read_bytes())
            return backup
    raise OutputError(
        f"{config.parent} 中的 zcprep.toml 备份太多，未做任何改动。",
        "删除不需要的 zcprep.toml.bak* 后重试。",
    )


DOSSIER_NAME_MAX = 60


def check_dossier_name(name: str) -> str:
    """A dossier name must be a plain, Windows-safe folder name (usually 姓名).

    Refused rather than rewritten: the name is the applicant's, and the officer should
    choose what to call the folder (张三2, 张三-技术部), not find a changed one.
    """
    cleaned = unicodedata.normalize("NFC", name.strip())
    if not cleaned or cleaned in (".", "..") or cleaned.startswith((".", "_")):
        raise UsageError(f"“{name}”不能作档案名。", "用申报人姓名，如 zcprep new 张三。")
    problem = windows_problem(cleaned)
    if problem:
        raise UsageError(
            f"档案名“{name}”不能用作文件夹名：{problem}。",
            "改用申报人姓名（不用上述字符或名字）；同名时可写成 张三2 或 张三-技术部。",
        )
    if len(cleaned) > DOSSIER_NAME_MAX:
        raise UsageError(
            f"档案名“{name}”太长（{len(cleaned)} 个字，最多 {DOSSIER_NAME_MAX} 个）。",
            "用申报人姓名。",
        )
    return cleaned


def new_dossier(workspace: Workspace, name: str) -> Path:
    """dossiers/NAME/ with applicant.toml and one NN-材料名 folder per checklist item."""
    name = check_dossier_name(name)
    folder = workspace.dossiers_dir / name
    if (folder / APPLICANT_FILE).exists():
        raise UsageError(
            f"{workspace.relative(folder)} 已有 {APPLICANT_FILE}，未做任何改动。",
            "要新建另一位同名申报人，请用不同的名字，如 张三2。",
        )
    notice = workspace.notice
    make_batch_folders(workspace.root, notice)  # first: a failure leaves no half dossier
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for material in notice.checklist:
            if not material.not_accepted:  # a folder would invite what the notice refuses
                (folder / material.folder).mkdir(exist_ok=True)
    except OSError as exc:
        raise _cannot_make(folder, exc, workspace.relative(folder)) from None
    write_text(folder / APPLICANT_FILE, applicant_template(name, notice))
    return folder

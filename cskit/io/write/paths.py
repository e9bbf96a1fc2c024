"""Where outputs go: output folder checks, two options naming one file
(``same_path``, ``clash``), devices and pipes (``is_special``), the names of
per-staff and per-customer files (``safe_file_name``), the all-or-none
``OutputSet`` and ``atomic_path`` (whose temporary file is known to its
cleanup before it exists), and standard output."""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import stat
import sys
import tempfile
import unicodedata
from pathlib import Path

from cskit.errors import OutputError, UsageError
from cskit.i18n import Text, os_reason


# --- paths -------------------------------------------------------------------------
def check_output_folder(path: str) -> None:
    """Fail early (exit 3) when an output cannot be written where asked."""
    if is_special(path):
        return  # a device or a pipe: written straight into, whatever its folder
    folder = Path(path).parent if Path(path).parent != Path("") else Path(".")
    try:
        exists, is_folder = folder.exists(), folder.is_dir()
        target_is_folder = Path(path).is_dir()
    except OSError as exc:  # a name too long, a loop of links…
        raise OutputError(_cannot_write(path, exc)) from None
    if not exists:
        raise OutputError(Text("cannot write {path}: the folder {folder} does not exist",
                               "无法写入 {path}：文件夹 {folder} 不存在，请先建好文件夹",
                               path=path, folder=str(folder)))
    if not is_folder:
        raise OutputError(Text("cannot write {path}: {folder} is not a folder",
                               "无法写入 {path}：{folder} 不是文件夹",
                               path=path, folder=str(folder)))
    if not os.access(folder, os.W_OK):
        raise OutputError(Text("cannot write {path}: no permission to write in {folder}",
                               "无法写入 {path}：没有文件夹 {folder} 的写入权限",
                               path=path, folder=str(folder)))
    if target_is_folder:
        raise OutputError(Text("cannot write {path}: it is a folder; give a file name",
                               "无法写入 {path}：这是一个文件夹，请给出文件名", path=path))
    if len(os.fsencode(Path(path).name)) > NAME_MAX:
        raise OutputError(_cannot_write(path, OSError(errno.ENAMETOOLONG, "File name too long")))


NAME_MAX = 255  # bytes in one file name on the file systems cskit meets (ext4, NTFS, APFS)


def is_special(path: str) -> bool:
    """True for an existing target that is not a regular file or a folder: a
    device (/dev/null, /dev/stdout on a terminal), a named pipe, a socket.
    Such a target is written straight into, never replaced by a rename."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def same_path(a: str, b: str) -> bool:
    """Whether two paths name the same file, links resolved: the same inode
    when both exist (hard links too), else the same resolved path."""
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
        return os.path.realpath(a) == os.path.realpath(b)
    except (OSError, ValueError):
        return False


def _identity(path: str):
    """What ``same_path`` compares, for one path: its file (device, inode)
    when it exists, else its resolved path; None when neither can be told.
    Two paths are the same file exactly when their identities are equal."""
    try:
        if os.path.exists(path):
            info = os.stat(path)
            return ("file", info.st_dev, info.st_ino)
        return ("path", os.path.realpath(path))
    except (OSError, ValueError):
        return None


class OutputSet:
    """Every file of one run, all or none (README "Output files").

    Each output is first written completely to a temporary file beside its
    target; only when the run has succeeded are they all renamed into place
    (``commit``). On any failure (``abort``) every temporary file is removed
    and every earlier output stays as it was. ``protected`` lists the
    (option, path) pairs the run reads: an output landing on one of them —
    or on another output of the run — is refused before anything is written.
    """

    def __init__(self, protected: "list[tuple[str, str]]" = ()):
        self.protected = [(option, path) for option, path in protected
                          if path and path != "-" and os.path.exists(path)]
        self.staged: list[tuple[str, str, str]] = []  # (temporary, target, option)
        # identity of each staged target → its first (target, option): one
        # look-up per new output instead of resolving every earlier one again
        # (a plan's 2,000 calendars)
        self._staged_ids: dict = {}
        self.folders: list[str] = []  # folders created for the outputs

    def check(self, path: str, option: str) -> None:
        """A usage error when PATH is an input or another output of the run."""
        if is_special(path):
            return  # a device or a pipe is written into, never replaced
        for other_option, other in self.protected:
            if same_path(path, other):
                raise UsageError(clash(other_option, other, option, path))
        earlier = self._staged_ids.get(_identity(path)) if self.staged else None
        if earlier is not None:
            target, other_option = earlier
            raise UsageError(clash(other_option, target, option, path, output=True))

    def add(self, tmp: str, target: str, option: str) -> None:
        self.staged.append((tmp, target, option))
        identity = _identity(target)
        if identity is not None:
            self._staged_ids.setdefault(identity, (target, option))

    def commit(self) -> None:
        for i, (tmp, target, option) in enumerate(self.staged):
            try:
                _put_in_place(tmp, target)
            except OSError as exc:
                self.staged = self.staged[i:]
                self.abort()
                if isinstance(exc, BrokenPipeError):
                    raise  # the reader of a pipe went away: ended quietly by the CLI
                raise OutputError(_cannot_write(target, exc)) from None
        self.staged = []
        self._staged_ids = {}

    def abort(self) -> None:
        for tmp, _, _ in self.staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self.staged = []
        self._staged_ids = {}
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                os.rmdir(folder)  # only when still empty
        self.folders = []

    def make_folder(self, folder: str, option: str) -> None:
        """Create FOLDER (and its parents) for per-staff or per-customer files;
        removed again if the run fails and it is still empty."""
        missing = []
        probe = os.path.abspath(folder)
        while probe and not os.path.exists(probe):
            missing.append(probe)
            parent = os.path.dirname(probe)
            if parent == probe:
                break
            probe = parent
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise OutputError(Text("{option} {folder}: cannot create the folder: {reason}",
                                   "{option} {folder}：无法创建文件夹：{reason}",
                                   option=option, folder=folder,
                                   reason=os_reason(exc))) from None
        self.folders.extend(reversed(missing))


_current: "list[OutputSet]" = []


@contextlib.contextmanager
def all_or_none(protected: "list[tuple[str, str]]" = ()):
    """Within the block, every ``atomic_path`` is staged in one OutputSet and
    renamed into place when the block ends without an error."""
    outputs = OutputSet(protected)
    _current.append(outputs)
    try:
        yield outputs
    except BaseException:
        _current.remove(outputs)
        outputs.abort()
        raise
    _current.remove(outputs)
    outputs.commit()


def current_outputs() -> "OutputSet | None":
    return _current[-1] if _current else None


def clash(first_option: str, first: str, second_option: str, second: str, *,
          output: bool = False) -> Text:
    """The message of two options naming one file: FIRST an input (or, with
    OUTPUT, another output), SECOND the output that would replace it."""
    if output:
        why = Text("refusing to write one output over another; give each its own path",
                   "为免一个输出覆盖另一个，拒绝运行；请给每个输出各自的路径")
    else:
        why = Text("refusing to overwrite an input; give {option} another path",
                   "为免覆盖输入，拒绝运行；请给 {option} 换一个路径", option=second_option)
    if first == second:
        return Text("{a} and {b} both name {path}: {why}",
                    "{a} 和 {b} 指向同一个文件 {path}：{why}",
                    a=first_option, b=second_option, path=first, why=why)
    return Text("{a} {first} and {b} {second} are the same file: {why}",
                "{a} {first} 与 {b} {second} 是同一个文件：{why}",
                a=first_option, first=first, b=second_option, second=second, why=why)


@contextlib.contextmanager
def atomic_path(path: str, option: str = "-o"):
    """Yield a temporary path beside PATH; on success rename it over PATH, on
    any failure (or Ctrl-C / SIGTERM) remove it and leave PATH untouched.

    Inside ``all_or_none`` the rename waits for the end of the run. A link
    to a regular file is followed (the file it names is replaced, the link
    stays). A device or a named pipe is never replaced: the finished file is
    copied into it. A failed write (a full disk…) is an OutputError (exit 3).
    """
    outputs = current_outputs()
    if outputs is not None:
        outputs.check(path, option)
    check_output_folder(path)
    special = is_special(path)
    target = Path(path if special or not os.path.islink(path) else os.path.realpath(path))
    folder = tempfile.gettempdir() if special else (str(target.parent) or ".")
    # the temporary file's name is known to the cleanup below before the file
    # exists: Ctrl-C or SIGTERM at any moment (a signal is taken by whichever
    # thread does not block it, and Python acts on it in the main thread at
    # its next step) never leaves it behind
    made: list[str] = []
    try:
        _new_temporary(folder, f".{_short(target.name)}.", path, made)
        tmp = made[0]
        try:
            yield tmp
        except Exception as exc:
            reason = _os_error_in(exc, tmp)
            if reason is None:
                raise
            raise OutputError(_cannot_write(path, reason)) from exc
        try:
            if special:
                pass
            elif target.exists():
                os.chmod(tmp, target.stat().st_mode & 0o777)
            else:
                os.chmod(tmp, 0o666 & ~_umask())
        except OSError as exc:
            raise OutputError(_cannot_write(path, exc)) from None
        if outputs is not None:
            outputs.add(tmp, str(target), option)
        else:
            try:
                _put_in_place(tmp, str(target))
            except BrokenPipeError:
                raise
            except OSError as exc:
                raise OutputError(_cannot_write(path, exc)) from None
    except BaseException as exc:
        for tmp in made:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _release_writers(exc)
        raise


def _create(path: str) -> None:
    """A new empty file, readable by its owner only; FileExistsError if PATH is taken."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    os.close(os.open(path, flags, 0o600))


def _new_temporary(folder: str, prefix: str, path: str, made: list[str]) -> None:
    """Create an empty file PREFIX….tmp in FOLDER, its path put in MADE before
    the file exists (so that whoever cleans up knows it, however early an
    interruption comes)."""
    import secrets

    for _ in range(100):
        made[:] = [os.path.join(folder, f"{prefix}{secrets.token_hex(4)}.tmp")]
        try:
            _create(made[0])
            return
        except FileExistsError:
            made.clear()  # somebody else's file: not ours to remove
        except OSError as exc:
            made.clear()
            raise OutputError(_cannot_write(path, exc)) from None
    raise OutputError(_cannot_write(path, FileExistsError(errno.EEXIST, "File exists",
                                                          folder)))


_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS,
                 errno.ENAMETOOLONG}


def _os_error_in(exc: BaseException, tmp: str) -> "OSError | None":
    """The operating system's refusal to write behind a writer's error, if it
    is one (xlsxwriter wraps a full disk in its own FileCreateError); not an
    error of reading something else (a template that is not found)."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError) and (exc.errno in _WRITE_ERRORS or (
                exc.errno is not None and exc.filename == tmp)):
            return exc
        wrapped = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
        exc = wrapped or exc.__cause__ or exc.__context__
        seen += 1
    return None


def _put_in_place(tmp: str, target: str) -> None:
    """Rename TMP over TARGET; a device or a pipe gets TMP's bytes instead."""
    if is_special(target):
        try:
            with open(tmp, "rb") as source, open(target, "wb") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return
    os.replace(tmp, target)


def _short(name: str) -> str:
    """A file name cut so that a temporary name built on it stays legal."""
    while len(os.fsencode(name)) > 120:
        name = name[:-1]
    return name


def _release_writers(exc: BaseException) -> None:
    """Let go of the writers a failed write left open (a ZipFile of an XLSX or
    DOCX on a full disk), quietly: finalised later, they would try to write
    again and print an 'Exception ignored' traceback."""
    import gc
    import traceback

    hook = sys.unraisablehook
    sys.unraisablehook = lambda *args: None
    try:
        seen = exc
        while seen is not None:
            traceback.clear_frames(seen.__traceback__)
            seen = seen.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _cannot_write(path: str, exc: OSError) -> Text:
    return Text("cannot write {path}: {reason}", "无法写入 {path}：{reason}",
                path=path, reason=os_reason(exc))


# --- names of per-staff and per-customer files ----------------------------------------
FILE_NAME_BYTES = 120  # a name's stem, leaving room for a suffix, a hash and a temp prefix
_UNSAFE = re.compile(r"[^\w.\-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
             *(f"lpt{i}" for i in range(1, 10))}


def safe_file_name(key, used: set, suffix: str = "") -> str:
    """A file name for one staff member's or customer's file, unique in a folder.

    KEY (a staff_id, a customer_id…) is kept as it is when it is already a
    safe name: letters (Chinese included), digits, ``_``, ``-`` and inner
    dots. Anything else (spaces, ``/``, a leading or trailing dot, a name
    Windows reserves such as ``CON``, more than 120 bytes) is replaced by
    ``_`` or cut, and then a short stable hash of the original KEY is added,
    so that ``S 01``, ``S_01``, ``S/01``, ``S01.`` and ``S01`` give five
    different files: ``S_01-3f2a9c1d``, ``S_01``, ``S_01-8b0e…``, ``S01-…``,
    ``S01``. A KEY with no usable character becomes ``file-<hash>``.

    USED holds the names already given in the folder (compared ignoring
    case, as Windows and macOS do); the name returned (SUFFIX included, e.g.
    ``.ics``) is added to it. The same keys in the same order always give
    the same names."""
    original = str(key)
    stem = _UNSAFE.sub("_", unicodedata.normalize("NFC", original)).strip("._")
    cut = stem
    while len(os.fsencode(cut)) > FILE_NAME_BYTES:
        cut = cut[:-1]
    changed = cut != original or cut.lower() in _RESERVED
    stem = cut or "file"
    digest = hashlib.sha1(original.encode("utf-8", "surrogatepass")).hexdigest()
    name = f"{stem}-{digest[:8]}{suffix}" if changed else f"{stem}{suffix}"
    if name.lower() in used:  # two keys equal but for case
        name = f"{stem}-{digest[:8]}{suffix}"
    n = 1
    while name.lower() in used:  # a hash shared: next in line
        n += 1
        name = f"{stem}-{digest[:8]}-{n}{suffix}"
    used.add(name.lower())
    return name


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def to_standard_output(data: "str | bytes") -> None:
    """Write DATA to standard output. A reader that went away (``| head``)
    raises BrokenPipeError, which the CLI ends quietly on; any other failure
    (``> /dev/full``) is an OutputError (exit 3)."""
    try:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(cannot_write_stdout(exc)) from None


def cannot_write_stdout(exc: OSError) -> Text:
    silence_standard_output()
    return Text("cannot write to standard output: {reason}", "无法写入标准输出：{reason}",
                reason=os_reason(exc))


def silence_standard_output() -> None:
    """Point standard output at /dev/null, so that the interpreter's last
    flush of what could not be written fails no more."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)

"""Read-only probing of one dossier file: what it really is and what is inside.

Applicants rename files freely (a phone screenshot saved as 获奖证书.pdf, a Word file
"saved as" .pdf by typing the name), so the type comes from the first bytes, never from
the extension. PDFs are opened with pypdf to learn what a reviewer would meet: a file that
does not open, a password, pages that are not A4, scans too coarse to read, a 密级 marking
in the text layer. Each file is read once into memory (a file over MAX_PROBE_BYTES only at
its ends); nothing is ever written.

A pathological PDF (a content stream that makes the parser crawl) must not hang a batch:
probing stops at a per-file time limit and the result says how far it got, which
``check`` turns into a finding. On Unix, in a main thread, a SIGALRM timer interrupts the
parser wherever it is (cheap). Where there is no such timer (Windows, other threads) a
file is probed in a worker process that is terminated when it overruns (see
:class:`BoundedWorker`); ``ZCPREP_PROBE_ISOLATION=process`` forces that everywhere.
"""

from __future__ import annotations

from zcprep.probe.alarm import ProbeTimeout, signals_usable, time_bound
from zcprep.probe.cached import probe_file_cached
from zcprep.probe.file import FILE_TIME_LIMIT, MAX_PROBE_BYTES, NOT_REGULAR, probe_file
from zcprep.probe.image import MAX_IMAGE_PIXELS, TOO_MANY_PIXELS, png_chunks
from zcprep.probe.pdf import pdf_error_text, quiet_pypdf
from zcprep.probe.process import (
    ISOLATION_ENV,
    BoundedWorker,
    Isolation,
    WorkerCrashed,
    WorkerUnavailable,
    isolation,
    kill_after,
    run_bounded,
    worker,
)
from zcprep.probe.result import (
    A3_MM,
    A4_MM,
    ACCEPTED_KINDS,
    FORMAT_KIND,
    KIND_LABELS,
    FileProbe,
    Kind,
    PageProbe,
    Status,
    fitted_dpi,
    page_size_class,
)
from zcprep.probe.sniff import (
    EXTENSION_KIND,
    PNG_SIGNATURE,
    content_digest,
    fingerprint,
    kind_from_name,
    sniff,
    sniff_file,
)

__all__ = [
    "A3_MM",
    "A4_MM",
    "ACCEPTED_KINDS",
    "EXTENSION_KIND",
    "FILE_TIME_LIMIT",
    "FORMAT_KIND",
    "ISOLATION_ENV",
    "KIND_LABELS",
    "MAX_IMAGE_PIXELS",
    "MAX_PROBE_BYTES",
    "NOT_REGULAR",
    "PNG_SIGNATURE",
    "TOO_MANY_PIXELS",
    "BoundedWorker",
    "FileProbe",
    "Isolation",
    "Kind",
    "PageProbe",
    "ProbeTimeout",
    "Status",
    "WorkerCrashed",
    "WorkerUnavailable",
    "content_digest",
    "fingerprint",
    "fitted_dpi",
    "isolation",
    "kill_after",
    "kind_from_name",
    "page_size_class",
    "pdf_error_text",
    "png_chunks",
    "probe_file",
    "probe_file_cached",
    "quiet_pypdf",
    "run_bounded",
    "signals_usable",
    "sniff",
    "sniff_file",
    "time_bound",
    "worker",
]

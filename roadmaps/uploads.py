"""Evidence files: type decided from the bytes, never from the name; size capped; private storage."""

import zipfile
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

ALLOWED_TYPES_LABEL = "PDF, PNG, JPEG, DOCX, XLSX"
# The extensions a name may keep for each type (the first is given when the name's does not fit).
EXTENSIONS = {"pdf": (".pdf",), "png": (".png",), "jpeg": (".jpg", ".jpeg"), "docx": (".docx",), "xlsx": (".xlsx",)}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff_type(head: bytes, file) -> str | None:
    """Return 'pdf', 'png', 'jpeg', 'docx' or 'xlsx' from the file's content, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            file.seek(0)
        if "[Content_Types].xml" in names:
            if any(name.startswith("word/") for name in names):
                return "docx"
            if any(name.startswith("xl/") for name in names):
                return "xlsx"
    return None


def name_for_type(name: str, kind: str | None) -> str:
    """The file name (no folders) with an extension of the type its bytes are: a PDF named `x.html`
    is `x.pdf`, so neither the stored file nor a download can pass for a page. No type: no extension."""
    path = PurePath(name.replace("\\", "/"))
    stem = path.stem.strip(". ") or "evidence"
    if kind is None:
        return stem
    if path.suffix.lower() in EXTENSIONS[kind]:
        return f"{stem}{path.suffix.lower()}"
    return f"{stem}{EXTENSIONS[kind][0]}"


def file_type(file) -> str | None:
    """The type of an open file's bytes (`sniff_type`), the file left at its start."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    return sniff_type(head, file)


def validate_evidence_file(file) -> None:
    limit = settings.MAX_UPLOAD_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            code="file_too_large",
            params={"size": round(file.size / 1024 / 1024, 1), "limit": limit // (1024 * 1024)},
        )
    if file_type(file) is None:
        raise ValidationError(
            _("This file's content is not an accepted type (%(types)s), whatever its name says."),
            code="file_type",
            params={"types": ALLOWED_TYPES_LABEL},
        )


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files outside the static and media trees; downloaded only through permission-checking views."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return Path(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return str(Path(settings.PRIVATE_MEDIA_ROOT).resolve())

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()

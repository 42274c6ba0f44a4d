"""Fixtures of the focal point's workspace: actions of El Salvador and Guatemala, files to upload."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roadmaps.models import ProgressUpdate
from tests.factories import ActionFactory, FocalPointFactory, RoadmapFactory, UserFactory


def minimal_pdf() -> bytes:
    """A real, valid one-page PDF (with its cross-reference table), built by hand."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


@pytest.fixture
def pdf_upload():
    return SimpleUploadedFile("informe final.pdf", minimal_pdf(), content_type="application/pdf")


@pytest.fixture
def exe_as_pdf():
    # A Windows executable's header, named like a PDF and announced as one.
    return SimpleUploadedFile(
        "evidence.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 2048, content_type="application/pdf"
    )


@pytest.fixture
def huge_pdf():
    # 30 MB in memory, starting like a PDF: refused for its size, whatever its type.
    return SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024), content_type="application/pdf")


@pytest.fixture
def new_updates(world):
    """`new_updates()`: the updates a test wrote, i.e. every update but the world's five."""
    ours = [world.u_approved, world.u_submitted, world.u_returned, world.u_approved_partners, world.u_approved_internal]
    return lambda: ProgressUpdate.objects.exclude(pk__in=[u.pk for u in ours])


@pytest.fixture
def roadmap_sv(world):
    """On top of the shared world (tests/world.py): a public roadmap of El Salvador and Guatemala."""
    return RoadmapFactory(slug="labour-mobility", lead_country=world.sv, countries=[world.sv, world.gt])


@pytest.fixture
def action_sv(roadmap_sv, el_salvador):
    return ActionFactory(roadmap=roadmap_sv, code="A1", title_en="Open a one-stop shop", countries=[el_salvador])


@pytest.fixture
def action_gt(roadmap_sv, guatemala):
    return ActionFactory(roadmap=roadmap_sv, code="A2", title_en="Train consular staff", countries=[guatemala])


@pytest.fixture
def action_shared(roadmap_sv, el_salvador, guatemala):
    return ActionFactory(roadmap=roadmap_sv, code="A3", title_en="Joint study", countries=[el_salvador, guatemala])


@pytest.fixture
def focal_sv_gt(el_salvador, guatemala):
    """A focal point of both countries."""
    user = UserFactory(username="focal-sv-gt-test")
    FocalPointFactory(user=user, country=el_salvador)
    FocalPointFactory(user=user, country=guatemala)
    return user


def valid_report(action, **overrides):
    data = {
        "status": "on_track",
        "percent_complete": "60",
        "narrative": "The one-stop shop opened in San Salvador.",
        "challenges": "Staff turnover.",
        "next_steps": "Open a second office.",
        "evidence_url": "https://example.org/report",
        "version": str(action.version),
    }
    data.update(overrides)
    return data

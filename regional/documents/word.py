"""The Word side of the documents: python-docx with the built-in styles, and the three fields
(contents, page number, page count) that python-docx has no call for.

Everything is written with the template's named styles (Title, Subtitle, Heading 1–2, Table Grid,
List Bullet), never with hand-set fonts, so Word's navigation pane, the table of contents and a
later change of style all work on the result.
"""

import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

TABLE_STYLE = "Table Grid"
# Word's language tags, for spelling and hyphenation of the text.
WORD_LANGUAGES = {"en": "en-GB", "es": "es-ES"}


def new_document(*, language: str, title: str, subject: str):
    document = Document()
    properties = document.core_properties
    properties.title = title
    properties.subject = subject
    properties.language = WORD_LANGUAGES.get(language, language)
    properties.author = "GCM Roadmap Tracker"
    _set_language(document, WORD_LANGUAGES.get(language, language))
    document.styles[TABLE_STYLE].font.size = Pt(9)  # the tables' text, in their style
    # Word fills in the table of contents when the file is opened (it asks first).
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)
    return document


def _set_language(document, tag: str) -> None:
    run_properties = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    run_properties.append(lang)


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (begin, instruction, separate, shown value, end): what Word itself writes."""

    def char(kind):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")  # to be recomputed by the reader
        return element

    paragraph.add_run()._r.append(char("begin"))
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    paragraph.add_run()._r.append(text)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(char("end"))


def table_of_contents(document, heading: str, placeholder: str) -> None:
    document.add_heading(heading, level=1)
    _field(document.add_paragraph(), r'TOC \o "1-1" \h \z \u', placeholder)


def page_break(document) -> None:
    document.add_page_break()


def footer(document, *, left: str, page_label: str, of_label: str, address: str) -> None:
    """On every page: the data's provenance, "page N of M", the address the document came from."""
    section = document.sections[0]
    paragraph = section.footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    paragraph.add_run(f"{left} · {page_label} ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(f" {of_label} ")
    _field(paragraph, "NUMPAGES", "1")
    small = section.footer.add_paragraph(address, style="Footer")
    for run in small.runs:
        run.font.size = Pt(8)


def table(document, header: list[str], rows, *, widths: list[float], numeric: set[int] = frozenset()):
    """A table in the house style with a repeated header row; `rows` are lists of strings (or None).

    `widths` in inches. The layout is fixed: Word and LibreOffice take the columns' widths from the
    grid and the first row, so the body's cells need none (a long report has hundreds of thousands).
    """
    result = document.add_table(rows=1, cols=len(header))
    result.style = document.styles[TABLE_STYLE]
    result.autofit = False
    for column, width in zip(result.columns, widths, strict=True):
        column.width = Inches(width)
    header_row = result.rows[0]
    _repeat_header(header_row)
    for cell, text, width in zip(header_row.cells, header, widths, strict=True):
        cell.width = Inches(width)
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = result.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = "" if value is None else str(value)
            if index in numeric:
                cell.paragraphs[0].alignment = 2  # right
    return result


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def labelled(document, label: str, text: str, style: str | None = None):
    """ "Label: text" as one paragraph, the label in bold (a run property, not a hand-made font)."""
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(text)
    return paragraph


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

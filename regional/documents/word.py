"""The Word side of the documents: python-docx with the built-in styles, and the three fields
(contents, page number, page count) that python-docx has no call for.

Everything is written with the template's named styles (Title, Subtitle, Heading 1–2, Table Grid,
List Bullet), never with hand-set fonts, so Word's navigation pane, the table of contents and a
later change of style all work on the result.

A long report has hundreds of thousands of elements, and three python-docx conveniences are linear in
what is already there, which made the whole quadratic (the stress scale's report did not finish in
10 minutes): `document.add_paragraph` / `add_table` look for the body's closing `w:sectPr` among all
its children on every call, `paragraph.style = name` searches every style of the template, and
`row.cells` walks the whole table. `Writer` keeps the `w:sectPr` and inserts before it, looks each
style's id up once, and reads a new row's cells from the row itself.
"""

import io

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Inches, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

TABLE_STYLE = "Table Grid"
STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet", "Footer", TABLE_STYLE)
# Word's language tags, for spelling and hyphenation of the text.
WORD_LANGUAGES = {"en": "en-GB", "es": "es-ES"}


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


_TR, _TC, _P, _PPR, _JC, _R, _T, _BR = (qn(f"w:{name}") for name in ("tr", "tc", "p", "pPr", "jc", "r", "t", "br"))
_VAL, _SPACE, _PSTYLE, _RPR, _B = qn("w:val"), qn("xml:space"), qn("w:pStyle"), qn("w:rPr"), qn("w:b")


def _body_row(tbl, values, numeric) -> None:
    """`<w:tr>` of plain text cells, written with lxml directly: python-docx's cell and run objects
    cost ≈ 3 ms a row, which is minutes for a region's report. The same markup as `cell.text = …`
    (a line break for each newline); widths come from the table's grid (fixed layout)."""
    tr = etree.SubElement(tbl, _TR)
    for index, value in enumerate(values):
        paragraph = etree.SubElement(etree.SubElement(tr, _TC), _P)
        if index in numeric:
            etree.SubElement(etree.SubElement(paragraph, _PPR), _JC).set(_VAL, "right")
        _text(etree.SubElement(paragraph, _R), "" if value is None else str(value))


def _text(run, text: str) -> None:
    """The text of a run, a line break for each newline (as python-docx's `run.text = …`)."""
    for number, line in enumerate(text.split("\n")):
        if number:
            etree.SubElement(run, _BR)
        element = etree.SubElement(run, _T)
        element.set(_SPACE, "preserve")
        element.text = line


class Writer:
    def __init__(self, *, language: str, title: str, subject: str):
        self.document = document = Document()
        tag = WORD_LANGUAGES.get(language, language)
        properties = document.core_properties
        properties.title, properties.subject, properties.language = title, subject, tag
        properties.author = "GCM Roadmap Tracker"
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), tag)
        document.styles["Normal"].element.get_or_add_rPr().append(lang)
        document.styles[TABLE_STYLE].font.size = Pt(9)  # the tables' text, in their style
        # Word fills in the table of contents when the file is opened (it asks first).
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        document.settings.element.append(update)
        self.style_ids = {name: document.styles[name].style_id for name in STYLES}
        self._sect_pr = document.element.body.sectPr
        self._width = document._block_width

    def _append(self, element):
        self._sect_pr.addprevious(element)  # the body's content comes before its section properties
        return element

    def paragraph(self, text: str = "", style: str | None = None, *, label: str = ""):
        """A paragraph of `style`, with a bold `label` run before the text when given (written with
        lxml like the table rows: python-docx's run objects cost more than the rest of the document)."""
        p = self._append(OxmlElement("w:p"))
        if style:
            etree.SubElement(etree.SubElement(p, _PPR), _PSTYLE).set(_VAL, self.style_ids[style])
        if label:
            run = etree.SubElement(p, _R)
            etree.SubElement(etree.SubElement(run, _RPR), _B)
            _text(run, label)
        if text:
            _text(etree.SubElement(p, _R), text)
        return Paragraph(p, self.document._body)

    def heading(self, text: str, level: int):
        return self.paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def labelled(self, label: str, text: str, style: str | None = None):
        """ "Label: text" as one paragraph, the label in bold (a run property, not a hand-made font)."""
        return self.paragraph(text, style, label=f"{label}: ")

    def page_break(self) -> None:
        self.paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table_of_contents(self, heading: str, placeholder: str) -> None:
        self.heading(heading, 1)
        _field(self.paragraph(), r'TOC \o "1-1" \h \z \u', placeholder)

    def footer(self, *, left: str, page_label: str, of_label: str, address: str) -> None:
        """On every page: the data's provenance, "page N of M", the address the document came from."""
        footer = self.document.sections[0].footer
        paragraph = footer.paragraphs[0]
        paragraph._p.style = self.style_ids["Footer"]
        paragraph.add_run(f"{left} · {page_label} ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(f" {of_label} ")
        _field(paragraph, "NUMPAGES", "1")
        small = footer.add_paragraph(address)
        small._p.style = self.style_ids["Footer"]
        for run in small.runs:
            run.font.size = Pt(8)

    def table(self, header: list[str], rows, *, widths: list[float], numeric=frozenset()):
        """A table in the house style with a repeated header row; `rows` are lists of values.

        `widths` in inches. The layout is fixed: Word and LibreOffice take the columns' widths from the
        grid and the first row, so the body's cells need none (a long report has hundreds of thousands).
        """
        table = Table(self._append(CT_Tbl.new_tbl(1, len(header), self._width)), self.document._body)
        table._tbl.tblPr.style = self.style_ids[TABLE_STYLE]
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Inches(width)
        header_row = table.rows[0]
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header_row._tr.get_or_add_trPr().append(repeat)
        for cell, text, width in zip(header_row.cells, header, widths, strict=True):
            cell.width = Inches(width)
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for values in rows:
            _body_row(table._tbl, values, numeric)
        return table

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

"""The Word side of the documents: python-docx with the built-in styles, and the three fields
(contents, page number, page count) that python-docx has no call for.

Everything is written with the template's named styles (Title, Subtitle, Heading 1–2, Table Grid,
List Bullet), never with hand-set fonts, so Word's navigation pane, the table of contents and a
later change of style all work on the result.

A region's report has hundreds of thousands of elements. Two things keep its time and memory bounded:

- Paragraphs, table rows and whole tables are written with lxml directly (python-docx's
  `add_paragraph` / `add_table` search the whole body for its `w:sectPr` on every call, `style = name`
  searches every style, `row.cells` walks the whole table, and its run and cell objects cost ≈ 3 ms a
  row). A table's header (style, grid, repeated bold header row) is built once by python-docx per
  kind of table and copied.
- The long part of a document is *streamed* (`Writer.stream`): the body holds a placeholder, and when
  the file is written, `document.xml` is written through the zip's compressor up to it, then the
  stream's batches one after the other, each serialised and dropped before the next is built, then
  the rest. Only one batch of elements and the compressed file are ever in memory.
"""

import copy
import io
import re
import zipfile

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


# The same markup as text, for a stream's batches: building and serialising lxml elements was most of
# a long report's time. Characters XML cannot hold (control characters) are dropped, as Word would.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escaped(text: str) -> str:
    # str.replace three times is several times faster than str.translate with a table.
    return _NOT_XML.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run_xml(text: str, bold: bool = False) -> str:
    lines = _escaped(text).split("\n")
    inner = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
    return f"<w:r><w:rPr><w:b/></w:rPr>{inner}</w:r>" if bold else f"<w:r>{inner}</w:r>"


def _paragraph_xml(text: str, style_id: str | None, label: str) -> str:
    style = f'<w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>' if style_id else ""
    return f"<w:p>{style}{_run_xml(label, bold=True) if label else ''}{_run_xml(text) if text else ''}</w:p>"


_RIGHT = '<w:pPr><w:jc w:val="right"/></w:pPr>'


def _row_xml(values, numeric) -> str:
    cells = "".join(
        f"<w:tc><w:p>{_RIGHT if index in numeric else ''}{_run_xml('' if value is None else str(value))}</w:p></w:tc>"
        for index, value in enumerate(values)
    )
    return f"<w:tr>{cells}</w:tr>"


def _children_xml(container) -> str:
    """The XML of an element's children, without the element's own tags (which declare the namespace)."""
    xml = etree.tostring(container, encoding="unicode")
    return xml[xml.index(">") + 1 : xml.rindex("</")]


# The body's placeholder for a stream: a paragraph with this text, found again in the saved XML.
_STREAM_MARK = "gcm-document-stream-placeholder"
_DOCUMENT_PART = "word/document.xml"


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
        self._batch = None  # while a stream's batch is built: the element its blocks go into
        self._stream = None
        self._table_heads = {}  # (header, widths) → a table with its header row, copied for each table

    def _append(self, element):
        if self._batch is not None:
            self._batch.append(element)
        else:
            self._sect_pr.addprevious(element)  # the body's content comes before its section properties
        return element

    def paragraph(self, text: str = "", style: str | None = None, *, label: str = ""):
        """A paragraph of `style`, with a bold `label` run before the text when given (written with
        lxml like the table rows: python-docx's run objects cost more than the rest of the document)."""
        if self._batch is not None:  # in a stream's batch: its XML only
            self._batch.append(_paragraph_xml(text, self.style_ids[style] if style else None, label))
            return None
        p = self._append(OxmlElement("w:p"))
        if style:
            etree.SubElement(etree.SubElement(p, _PPR), _PSTYLE).set(_VAL, self.style_ids[style])
        if label:
            run = etree.SubElement(p, _R)
            etree.SubElement(etree.SubElement(run, _RPR), _B)
            _text(run, label)
        if text:
            _text(etree.SubElement(p, _R), text)
        return p

    def heading(self, text: str, level: int):
        return self.paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def labelled(self, label: str, text: str, style: str | None = None):
        """ "Label: text" as one paragraph, the label in bold (a run property, not a hand-made font)."""
        return self.paragraph(text, style, label=f"{label}: ")

    def page_break(self) -> None:
        Paragraph(self.paragraph(), self.document._body).add_run().add_break(WD_BREAK.PAGE)

    def table_of_contents(self, heading: str, placeholder: str) -> None:
        self.heading(heading, 1)
        _field(Paragraph(self.paragraph(), self.document._body), r'TOC \o "1-1" \h \z \u', placeholder)

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

    def _table_head(self, header: tuple, widths: tuple):
        """`w:tbl` with its properties, grid and repeated bold header row, built by python-docx once."""
        tbl = CT_Tbl.new_tbl(1, len(header), self._width)
        table = Table(tbl, self.document._body)
        tbl.tblPr.style = self.style_ids[TABLE_STYLE]
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
        return tbl

    def table(self, header: list[str], rows, *, widths: list[float], numeric=frozenset()):
        """A table in the house style with a repeated header row; `rows` are lists of values.

        `widths` in inches. The layout is fixed: Word and LibreOffice take the columns' widths from the
        grid and the first row, so the body's cells need none (a long report has hundreds of thousands).
        """
        key = (tuple(header), tuple(widths))
        if key not in self._table_heads:
            head = self._table_head(*key)
            container = OxmlElement("w:body")
            container.append(copy.deepcopy(head))
            self._table_heads[key] = head, _children_xml(container).removesuffix("</w:tbl>")
        head, head_xml = self._table_heads[key]
        if self._batch is not None:  # in a stream's batch: its XML only
            self._batch.append(head_xml + "".join(_row_xml(values, numeric) for values in rows) + "</w:tbl>")
            return None
        tbl = self._append(copy.deepcopy(head))
        for values in rows:
            _body_row(tbl, values, numeric)
        return tbl

    def stream(self, batches) -> None:
        """Here in the body, what `batches` writes: an iterator that writes blocks with this writer's
        calls and yields after each batch. It runs when the file is written (`to_bytes`), each
        batch's elements serialised into the zip and dropped before the next batch."""
        if self._stream is not None:
            raise ValueError("one stream per document")
        self._stream = batches
        self.paragraph(_STREAM_MARK)

    def _write_stream(self, handle) -> None:
        while True:
            self._batch = []  # the batch's blocks as XML text
            try:
                next(self._stream)
            except StopIteration:
                break
            finally:
                batch, self._batch = self._batch, None
            handle.write("".join(batch).encode())
        handle.write("".join(batch).encode())  # what the last step wrote before it stopped

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        if self._stream is None:
            return buffer.getvalue()
        # The saved file again, its document.xml written around the stream's batches.
        source = zipfile.ZipFile(buffer)
        output = io.BytesIO()
        mark = f'<w:p><w:r><w:t xml:space="preserve">{_STREAM_MARK}</w:t></w:r></w:p>'.encode()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename != _DOCUMENT_PART:
                    target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                    continue
                before, after = data.split(mark)  # exactly one placeholder (stream() allows one)
                del data
                entry = zipfile.ZipInfo(info.filename, info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with target.open(entry, "w", force_zip64=True) as handle:
                    handle.write(before)
                    self._write_stream(handle)
                    handle.write(after)
        return output.getvalue()

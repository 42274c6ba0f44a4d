"""The review report and a country's contribution as Word documents (python-docx).

`download` holds what the views call, `report` the documents' structure, `content` the reads beyond
the report's rows, `word` the python-docx helpers (styles, fields, footer).
"""

from regional.documents.download import country_docx, review_docx

__all__ = ["country_docx", "review_docx"]

"""CSV downloads a spreadsheet opens safely."""

import csv
import io
from typing import Iterable, List

from flask import Response


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (visitors' text can start with = + - @)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_download(filename: str, header: List[str], rows: Iterable[list]) -> Response:
    """A CSV attachment."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in rows])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})

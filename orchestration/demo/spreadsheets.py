"""Workbooks as an office suite writes them, for the demo organisation that
keeps spreadsheets and for the tests: XLSX with xlsxwriter, ODS with odfpy
(both real writers from the package registry). Cells keep their Python
type: a number, a date or a boolean is a typed cell, a string a text cell,
None an empty one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

Sheets = dict[str, list[list[Any]]]  # sheet name -> rows (the header first)


def write_xlsx(path: Path, sheets: Sheets) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": dt.datetime(2025, 1, 1)})  # the same cells write the same bytes
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    time_format = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, dt.datetime):
                    sheet.write_datetime(r, c, value, time_format)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time(0)), date_format)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
    book.close()


def _ods_cell(value: Any) -> TableCell:
    if value is None:
        return TableCell()
    if isinstance(value, bool):
        cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower())
    elif isinstance(value, dt.datetime):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
    elif isinstance(value, dt.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
    elif isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=value)
    else:
        cell = TableCell(valuetype="string")
    cell.addElement(P(text=str(value)))
    return cell


def write_ods(path: Path, sheets: Sheets) -> None:
    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            element = TableRow()
            for value in row:
                element.addElement(_ods_cell(value))
            table.addElement(element)
        document.spreadsheet.addElement(table)
    document.save(str(path))


def write_workbook(path: Path, sheets: Sheets) -> None:
    (write_ods if path.suffix == ".ods" else write_xlsx)(path, sheets)

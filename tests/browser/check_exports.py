#!/usr/bin/python3
"""Reads an exported disclosure table back, as a spreadsheet user would: the CSV as UTF-8 with
its byte-order mark (Python's csv module), the XLSX with openpyxl (Debian's python3-openpyxl),
and checks both hold the same header and rows, the Chinese text intact, amounts as numbers.
Usage: check_exports.py CSV XLSX ROWS TEXT… (TEXT: strings some cell must equal)"""
import csv
import sys

import openpyxl


def main(csv_path, xlsx_path, rows, *texts):
    with open(csv_path, "rb") as raw:
        if not raw.read(3) == b"\xef\xbb\xbf":
            return f"{csv_path}: no UTF-8 byte-order mark"
    with open(csv_path, encoding="utf-8-sig", newline="") as text:
        table = list(csv.reader(text))
    if len(table) != int(rows) + 1:
        return f"{csv_path}: {len(table) - 1} rows, not {rows}"
    workbook = openpyxl.load_workbook(xlsx_path, read_only=True)
    sheet = workbook.worksheets[0]
    cells = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    if cells[0] != table[0]:
        return f"headers differ: {cells[0]} and {table[0]}"
    if len(cells) != len(table):
        return f"{xlsx_path}: {len(cells) - 1} rows, not {len(table) - 1}"
    for r, (from_csv, from_xlsx) in enumerate(zip(table[1:], cells[1:]), start=1):
        for c, (a, b) in enumerate(zip(from_csv, from_xlsx)):
            same = float(a) == b if isinstance(b, (int, float)) else a == b
            if not same:
                return f"row {r} column {c}: {a!r} in the CSV, {b!r} in the workbook"
    every_cell = {cell for row in table for cell in row}
    missing = [t for t in texts if t not in every_cell]
    if missing:
        return f"no cell holds {missing}"
    return None


if __name__ == "__main__":
    failure = main(*sys.argv[1:])
    if failure:
        print(failure, file=sys.stderr)
        sys.exit(1)

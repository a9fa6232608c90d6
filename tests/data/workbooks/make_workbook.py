"""Writes tests/data/workbooks/manifest.xlsx (tests/unit/test_ingest_workbooks.c): a manifest and
equipment events as a spreadsheet user keeps them (openpyxl, as Excel would save them):
a title row above the header, headers typed with spaces, dates as date cells, numbers as
numbers, the HS code as a number shown with six digits, an address over two lines, a sheet
of notes. Run: python3 make_workbook.py OUT.xlsx"""
import sys
from datetime import datetime
import openpyxl

wb = openpyxl.Workbook()
m = wb.active
m.title = "Manifiesto"
m.append(["Manifiesto de carga - MSC ANNA FA123E"])
m.append([])
m.append(["Bill of Lading", "Carrier", "Vessel Name", "Vessel IMO", "Voyage",
          "Port of Loading", "Port of Discharge", "Departure", "Shipper Name", "Shipper ID",
          "Shipper Address", "Consignee Name", "Consignee Country", "Container", "Size Type",
          "Seals", "HS Code", "Description", "Packages", "Gross kg"])
rows = [
    ["MSCU123456789", "MSC", "MSC ANNA", 9074729, "FA123E", "PECLL", "BEANR",
     datetime(2024, 5, 3, 22, 0), "Agro Norte S.A.C.", 20100047218, "Av. Industrial 100\nLima",
     "Fruit BV", "NL", "CSQU3054383", "45R1", "SL12345", 80440, "FRESH AVOCADOS", 1800, 21600.5],
    ["MSCU123456790", "MSC", "MSC ANNA", 9074729, "FA123E", "PECLL", "NLRTM",
     datetime(2024, 5, 3, 22, 0), "Exportadora Perú, S.A.C.", 20100047219, None,
     "Other BV", "NL", "MSCU1234567", "45R1", "SL9", 81040, "BLUEBERRIES \"PREMIUM\"", 2000, 9000],
    [None, "MSC", "MSC ANNA", 9074729, "FA123E", "PECLL", "BEANR", None, "x", None, None, "y",
     "NL", "TCNU7200794", "45R1", None, None, None, None, None],
]
for r in rows:
    m.append(r)
for row in m.iter_rows(min_row=4, max_row=6):
    row[7].number_format = "dd/mm/yyyy hh:mm"
    row[16].number_format = "000000"
    row[19].number_format = "#,##0.00"
e = wb.create_sheet("Eventos")
e.append(["Container", "Event", "Time", "Port", "Terminal", "Seals"])
e.append(["CSQU3054383", "gate_in", datetime(2024, 5, 1, 23, 30), "PECLL", "DPW", "SL12345"])
e.append(["CSQU3054383", "load", datetime(2024, 5, 3, 10, 0, 15), "PECLL", "DPW", "SL12346"])
e.append(["CSQU3054383", "teleport", datetime(2024, 5, 3, 10, 0), "PECLL", "DPW", None])
for row in e.iter_rows(min_row=2, max_row=4):
    row[2].number_format = "yyyy-mm-dd hh:mm:ss"
n = wb.create_sheet("Notas")
n.append(["Exportado por el sistema de la agencia"])
wb.save(sys.argv[1])

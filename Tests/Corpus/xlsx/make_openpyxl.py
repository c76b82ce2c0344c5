"""Writes the openpyxl test workbooks: python3 make_openpyxl.py (openpyxl 3.1)."""
import datetime
import openpyxl

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Kunden"
ws.append(["id", "name", "status", "since", "last_seen", "revenue", "vip", "zip", "share"])
rows = [
    (1, "Anna Berg", "lost", datetime.date(2021, 3, 4), datetime.datetime(2024, 1, 5, 9, 30), 1200.5, True, "01067", None),
    (2, "Bernd Cole", "customer", datetime.date(2022, 1, 10), datetime.datetime(2024, 2, 1, 14, 0), 300, False, "10115", None),
    (3, "Carla Dietz", "lost", datetime.date(2020, 12, 1), None, None, False, "80331", None),
    (4, "Dora & Söhne <GmbH>", "prospect", datetime.date(2023, 5, 6), datetime.datetime(2023, 5, 6, 0, 0, 1), 50.25, None, None, None),
]
for r in rows:
    ws.append(list(r))
for row in range(2, 6):
    ws.cell(row=row, column=9, value=f"=F{row}/SUM(F$2:F$5)")
ws.append([])
ws.append([])
orders = wb.create_sheet("Orders")
orders.append(["customer_id", "order_date", "amount"])
for i in range(1, 31):
    orders.append([(i % 4) + 1, datetime.date(2024, 1, 1) + datetime.timedelta(days=i * 3), round(i * 1.25, 2)])
blank = wb.create_sheet("Notes")
blank["A1"] = 2024
blank["B1"] = "plan"
blank["A2"] = 2025
blank["B2"] = "forecast"
wb.save("openpyxl_crm.xlsx")

wide = openpyxl.Workbook()
w = wide.active
w.title = "wide"
w.append([f"c{k}" for k in range(20)])
for i in range(1000):
    w.append([i * 20 + k if k % 3 else f"text {i % 17}" for k in range(20)])
wide.save("openpyxl_wide.xlsx")

mac = openpyxl.Workbook()
mac.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
m = mac.active
m.title = "dates1904"
m.append(["day", "moment"])
m.append([datetime.date(2024, 2, 29), datetime.datetime(2024, 2, 29, 23, 59, 59)])
m.append([datetime.date(1999, 12, 31), datetime.datetime(2000, 1, 1, 0, 0, 0)])
mac.save("openpyxl_1904.xlsx")

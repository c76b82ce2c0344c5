#!/usr/bin/env bash
# Writes the SQLite test files as real tools write them: crm_tool.sqlite with the sqlite3
# command-line tool (.import declares every column TEXT, so numbers are stored as text), and
# crm_python.sqlite with Python's sqlite3 module (mixed-type columns, dates as text, a blob).
set -euo pipefail
cd "$(dirname "$0")"
rm -f crm_tool.sqlite crm_python.sqlite
cat > /tmp/nk-sqlite-customers.csv <<'CSV'
id,name,status,industry,since,zip,revenue
1,Anna Berg,lost,retail,2021-03-04,01067,1200.50
2,Bernd Cole,customer,retail,2022-01-10,10115,300
3,Carla Dietz,lost,it,2020-12-01,80331,
4,Dora Ebert,prospect,it,2023-05-06,,50.25
5,Emil Frank,customer,health,2019-07-30,20095,980
CSV
sqlite3 crm_tool.sqlite ".import --csv /tmp/nk-sqlite-customers.csv customers"
sqlite3 crm_tool.sqlite "create view lost as select * from customers where status = 'lost'"
rm /tmp/nk-sqlite-customers.csv
python3 - <<'PY'
import sqlite3
db = sqlite3.connect("crm_python.sqlite")
db.execute("create table orders (order_id integer primary key, customer_id integer, order_date text, amount numeric, channel, paid boolean, logged timestamp)")
rows = [
    (1, 1, "2024-01-05", 12.5, "web", 1, "2024-01-05 09:30:00"),
    (2, 1, "2024-02-01", 30, "shop", 0, "2024-02-01 14:00:00"),
    (3, 2, "2024-03-01", "7.25", "web", 1, "2024-03-01 08:15:00"),
    (4, 3, "2024-03-09", None, 3, None, None),
    (5, 5, "2024-04-11", 99.99, b"\x00\x01", 1, "2024-04-11 18:45:10"),
]
db.executemany("insert into orders values (?, ?, ?, ?, ?, ?, ?)", rows)
db.execute("create table mixed (code, label text)")
db.executemany("insert into mixed values (?, ?)", [(1, "one"), ("A7", "a seven"), (2.5, "two and a half")])
db.commit()
db.close()
PY

#!/usr/bin/env python3
"""Writes iris.csv (a header row, four numeric columns, the species by name) from scikit-learn's copy.

scikit-learn's sklearn/datasets/data/iris.csv (Debian package python3-sklearn) starts with a line
"150,4,setosa,versicolor,virginica" (rows, features, class names) and holds the class as 0/1/2;
this script replaces that line with column names and each class index with its name, nothing else.

    python3 convert_iris.py /usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv > iris.csv
"""
import csv
import sys

with open(sys.argv[1], newline="") as f:
    rows = list(csv.reader(f))
count, features, *names = rows[0]
assert (int(count), int(features)) == (150, 4) and len(rows) == 151, rows[0]
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["sepal_length", "sepal_width", "petal_length", "petal_width", "species"])
for row in rows[1:]:
    out.writerow(row[:4] + [names[int(row[4])]])

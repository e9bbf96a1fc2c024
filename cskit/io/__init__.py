"""The I/O layer: every read and every write of cskit goes through here.

- ``cskit.io.read``: files → DataFrames (formats, encodings, header aliases,
  row numbers as Excel shows them);
- ``cskit.io.values``: text and spreadsheet cells → dates, amounts, booleans…
  with the cells that do not parse marked, so they can be reported by row;
- ``cskit.io.write``: DataFrames → CSV/TSV/JSON/Markdown/table/HTML/XLSX,
  atomically, with formula-like text neutralised;
- ``cskit.io.xlsx``: the XLSX writer (styling, number formats, print set-up).

Commands use it through ``cskit.run.Run``.
"""

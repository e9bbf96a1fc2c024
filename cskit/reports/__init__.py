"""render-report: Word, HTML and Markdown summaries of cskit's tables.

Layers, as everywhere in cskit (STYLE.md: parse → compute → render):

- ``tables``: DATA arguments → named, canonical DataFrames (headers of
  ``--lang zh`` outputs mapped back to canonical names), and recognition of
  which command produced a table;
- ``mask``: phone and ID numbers masked before anything is rendered;
- ``charts``: matplotlib pictures (PNG bytes) with a CJK font;
- ``model``: the report content — figures, tables, charts, what needs
  attention — as plain data, one section per built-in report;
- ``render``: that model, or a user template, to HTML, Markdown or Word.

Seeds: 004 (巡访日报表, 每月巡访情况报告书), 003 (投诉统计报表),
000 (汇总周经营数据, 并注明增减幅的原因).
"""

"""Pure valuation functions: the Ledger in, frozen dataclasses out.

Imports nothing of passu's: no database and no clock (as_of is an argument). The one
file it reads is an interchange CSV folder, in ``Ledger.from_csv`` (``raw_tables.py``),
so that a portfolio can be valued with no database at all.
"""

"""Pure valuation functions: frames or records in, frozen dataclasses out.

Imports nothing of passu's: no database, no files, no clock (as_of is an argument).
"""

"""Pure valuation functions: frames or records in, frozen dataclasses out. Imports nothing of passu's."""

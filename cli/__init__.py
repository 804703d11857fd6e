"""The click command-line interface: parse, call one function, print."""

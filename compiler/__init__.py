"""capplan: a declarative capacity-planning compiler for large language models."""

__version__ = "0.1.0"

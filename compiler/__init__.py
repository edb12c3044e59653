"""capplan: a declarative capacity-planning compiler for large language models.

The public Python API is capplan.api (`capplan.load`, `loads`, `read`, `reads`, `parse`,
`check`, `evaluate`, `plan`, `result_document`, `SpecError`), reachable from here too; it is
imported on first use, so `import capplan` does no work.
"""

__version__ = "0.1.0"

API = ("load", "loads", "read", "reads", "parse", "check", "evaluate", "plan", "result_document", "SpecError")
__all__ = ["__version__", *API]


def __getattr__(name: str):
    if name in API:
        from capplan import api  # the public API, loaded on first use (PEP 562)

        return getattr(api, name)
    raise AttributeError(f"module 'capplan' has no attribute {name!r}")

"""great-expectations suites written as code, one module per stage.

Rules about event fields are derived from sources/schemas and the registry,
never copied by hand. GX is imported lazily (about 2 s and 300 MB)."""

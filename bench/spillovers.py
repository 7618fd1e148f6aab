"""Placeholder replaced below."""
def spillover_bench(initiatives: int) -> None:
    pass

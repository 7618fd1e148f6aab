"""The consortium report and each partner's: static HTML with charts, readable offline."""

"""The analyst report: an offline HTML page (plotly.js embedded) and PNG stills, built from the marts."""

from warehouse.report.build import ReportResult, build_report, headline_markdown

__all__ = ["ReportResult", "build_report", "headline_markdown"]

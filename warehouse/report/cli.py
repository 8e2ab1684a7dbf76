"""`dealwire report [--open]`: build the report from the warehouse and say where it is."""

from __future__ import annotations

import argparse
import sys
import webbrowser
from pathlib import Path

from warehouse.paths import data_dir, duckdb_path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dealwire report", description=__doc__)
    parser.add_argument("--open", action="store_true", help="open the page in the default browser")
    parser.add_argument("--database", help="DuckDB file (default: $DEALWIRE_DUCKDB_PATH or data/dealwire.duckdb)")
    parser.add_argument("--out", help="folder for the report (default: <data dir>/reports)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from warehouse.connection import WarehouseLockedError
    from warehouse.report import build_report

    out_dir = Path(args.out) if args.out else data_dir() / "reports"
    try:
        result = build_report(Path(args.database) if args.database else duckdb_path(), out_dir)
    except WarehouseLockedError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"report  {result.html_path}")
    print(f"        {result.html_path.as_uri()}")
    print(f"copy    {result.dated_path}")
    for name, path in result.pngs.items():
        print(f"png     {path}")
    for label, value in result.headline.items():
        print(f"  {label:<32}{value}")
    for section, why in result.empty_sections.items():
        print(f"  no data yet in {section}: {why}")
    if args.open:
        webbrowser.open(result.html_path.as_uri())
    return 0


if __name__ == "__main__":
    sys.exit(main())

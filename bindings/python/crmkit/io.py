"""crmkit.io: CSV import into and export from any crmkit store (plain or gzip files, or file objects).

    import crmkit, crmkit.io

    store = crmkit.open("sqlite:crm.db")
    report = crmkit.io.import_purchases(store, "purchases.csv.gz", crmkit.io.PurchaseImportOptions(
        default_currency="EUR", on_error=crmkit.io.OnError.skip))
    print(report.rows_imported, report.rows_rejected, report.errors[:3])
    crmkit.io.export_customers(store, "customers.csv")

Imports: import_customers(), import_purchases(), import_interactions(), each with its options class
(CustomerImportOptions, PurchaseImportOptions, InteractionImportOptions) and an ImportReport as the
result; bad rows raise crmkit.ParseError (with ``.line`` and ``.column``) or, in skip mode, are listed
in ImportReport.errors. Exports: export_customers(), export_purchases(), export_interactions(), whose
files the imports read back losslessly. See docs/import-export.md.
"""

from __future__ import annotations

from . import _crmkit
from ._export import export as _export

__all__: list[str] = _export(globals(), _crmkit.io)

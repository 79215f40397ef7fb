"""ERP access: read products, contractors and dictionaries; write ZK, FS and PA documents idempotently.

`SqlErp.open(target)` speaks SQL to a Subiekt-GT-compatible database: a SQLite file through the
standard library (the embedded default), or any ODBC connection string through pyodbc (SQL Server
in production, the SQLite ODBC driver and psqlODBC in tests). `api.Erp` is the protocol.
"""


from typing import TYPE_CHECKING

from sellintegro._lazy import lazy

if TYPE_CHECKING:  # the names as the type checker sees them
    from .api import Erp, ErpReader, ErpWriter
    from .errors import ErpDatabaseError, ErpError, ErpInputError, ErpSchemaError, ErpUnavailable
    from .model import (
        Address,
        Contractor,
        ContractorRequest,
        DocType,
        DocumentRequest,
        DocumentSeries,
        ItemKind,
        LineRequest,
        Payment,
        PaymentMethod,
        Product,
        StoredDocument,
        StoredLine,
        VatKind,
        VatRate,
        Warehouse,
        WriteResult,
        find_vat_rate,
        grosze,
        normalize_nip,
    )
    from .sqlerp import SqlErp

# Imported on first use (see sellintegro/_lazy.py).
__getattr__ = lazy(__name__, {
    "Erp": ".api",
    "ErpReader": ".api",
    "ErpWriter": ".api",
    "ErpDatabaseError": ".errors",
    "ErpError": ".errors",
    "ErpInputError": ".errors",
    "ErpSchemaError": ".errors",
    "ErpUnavailable": ".errors",
    "Address": ".model",
    "Contractor": ".model",
    "ContractorRequest": ".model",
    "DocType": ".model",
    "DocumentRequest": ".model",
    "DocumentSeries": ".model",
    "ItemKind": ".model",
    "LineRequest": ".model",
    "Payment": ".model",
    "PaymentMethod": ".model",
    "Product": ".model",
    "StoredDocument": ".model",
    "StoredLine": ".model",
    "VatKind": ".model",
    "VatRate": ".model",
    "Warehouse": ".model",
    "WriteResult": ".model",
    "find_vat_rate": ".model",
    "grosze": ".model",
    "normalize_nip": ".model",
    "SqlErp": ".sqlerp",
})

__all__ = [
    "Address",
    "Contractor",
    "ContractorRequest",
    "DocType",
    "DocumentRequest",
    "DocumentSeries",
    "Erp",
    "ErpDatabaseError",
    "ErpError",
    "ErpInputError",
    "ErpReader",
    "ErpSchemaError",
    "ErpUnavailable",
    "ErpWriter",
    "ItemKind",
    "LineRequest",
    "Payment",
    "PaymentMethod",
    "Product",
    "SqlErp",
    "StoredDocument",
    "StoredLine",
    "VatKind",
    "VatRate",
    "Warehouse",
    "WriteResult",
    "find_vat_rate",
    "grosze",
    "normalize_nip",
]

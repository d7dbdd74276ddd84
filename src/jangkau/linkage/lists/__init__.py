"""Outside lists: reading CSV/XLSX/Parquet and checking every row."""

"""Numbered SQL migrations of the SealDesk database (NNNN_name.sql)."""

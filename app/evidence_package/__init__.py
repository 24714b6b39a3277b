"""The evidence package (证据包): one ZIP a court can check without SealDesk.

:func:`app.evidence_package.export.export_package` builds it from an archived
document; :mod:`app.evidence_package.standalone_verify` is the ``verify.py``
shipped inside it, which ``sealdesk verify-package`` runs as well. Nothing is
imported here, so that checking a package does not load pyHanko.
"""

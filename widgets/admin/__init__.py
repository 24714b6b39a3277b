"""The administrator's dialogs: create a seal with its image, people, grants.

The Administration views (:mod:`widgets.views.seals`, ``people``, ``grants``)
open these dialogs. Every change goes through the services in
:mod:`app.admin`, which check the role and the rules again; a refusal leaves
through the dialog's ``failed`` signal to the main window's one error place.
"""

"""Administration: people, roles, log-in, seals, grants, approvals (用印审批).

Each module offers plain functions that take the open :class:`Database` and
the acting, authenticated :class:`app.admin.roles.Actor`, enforce every rule
themselves (the screens only repeat them), and write each change and each
refusal to the usage log (用印日志). :mod:`app.admin.policy` is the check the
stamping service runs before every use of a seal.
"""

"""The demo workspace: a demo PKI, SoftHSM2 tokens, people, seals and grants."""
